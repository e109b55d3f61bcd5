package org.cardiowatch.processor.detection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EndedMonitoringTest {

    private static final Instant END = Instant.parse("2026-12-05T09:00:00Z");

    @Test
    void shouldCoverTheRevokedDeviceUpToItsEndOnly() {
        EndedMonitoring ended = new EndedMonitoring();
        ended.end("patch", END, false);

        assertTrue(ended.covers("patch", END), "received at the end: still the old monitoring");
        assertTrue(ended.covers("patch", END.minusSeconds(30)));
        assertFalse(ended.covers("patch", END.plusMillis(1)), "received after: enrolled again");
        assertFalse(ended.covers("band", END.minusSeconds(30)), "another device of the patient goes on");
    }

    @Test
    void shouldCoverEveryDeviceOfThePatientAndEverythingOfAnErasedOne() {
        EndedMonitoring withdrawn = new EndedMonitoring();
        withdrawn.end(null, END, false);
        EndedMonitoring erased = new EndedMonitoring();
        erased.end(null, END, true);

        assertTrue(withdrawn.covers("band", END.minusSeconds(1)));
        assertFalse(withdrawn.covers("band", END.plusSeconds(1)), "consent given again");
        assertTrue(erased.covers("band", END.plusSeconds(3600)), "nothing of an erased patient, ever");
        assertTrue(erased.isErased());
    }

    @Test
    void shouldForgetEndsOlderThanTheRetentionAndReadBackWhatItWrote() throws IOException {
        EndedMonitoring ended = new EndedMonitoring();
        ended.end("old", END.minus(Duration.ofDays(8)), false);
        ended.end(null, END, true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ended.write(new DataOutputStream(bytes));
        EndedMonitoring read = EndedMonitoring.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertTrue(read.isErased());
        assertTrue(read.forget(END.minus(Duration.ofDays(7))), "the 8-day-old end is forgotten");
        assertFalse(read.isEmpty(), "the erasure is recent");
        assertTrue(read.forget(END.plusSeconds(1)));
        assertTrue(read.isEmpty());
        assertFalse(read.isErased());
    }
}
