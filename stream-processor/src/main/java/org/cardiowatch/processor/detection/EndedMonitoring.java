package org.cardiowatch.processor.detection;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What ended in one patient's monitoring, so that their readings still in the topics are not
 * analysed again: the patient's whole monitoring (consent withdrawn, discharge, erasure) or some
 * devices' (revoked). A reading the ingest received up to an end is dropped; one received later
 * belongs to a new monitoring (the device enrolled again, the consent given again), except for an
 * erased patient, of whom nothing is analysed again. Kept for a retention that covers the input
 * topics' ({@link #forget}), so it does not grow with the years.
 */
public final class EndedMonitoring {

    private Instant patientEndedAt;
    private boolean erased;
    private final Map<String, Instant> devicesEndedAt = new LinkedHashMap<>();

    /** Records an end: of one device, or with {@code deviceId} null of the whole patient. */
    public void end(String deviceId, Instant at, boolean erasure) {
        if (deviceId == null) {
            patientEndedAt = later(patientEndedAt, at);
            erased |= erasure;
        } else {
            devicesEndedAt.merge(deviceId, at, EndedMonitoring::later);
        }
    }

    /** Whether a reading of this device, received by the ingest at {@code receivedAt}, is past its monitoring. */
    public boolean covers(String deviceId, Instant receivedAt) {
        if (erased) {
            return true;
        }
        if (patientEndedAt != null && !receivedAt.isAfter(patientEndedAt)) {
            return true;
        }
        Instant deviceEnd = devicesEndedAt.get(deviceId);
        return deviceEnd != null && !receivedAt.isAfter(deviceEnd);
    }

    public boolean isErased() {
        return erased;
    }

    /** Forgets the ends decided before {@code before}; returns whether it forgot any. */
    public boolean forget(Instant before) {
        boolean forgot = devicesEndedAt.values().removeIf(at -> at.isBefore(before));
        if (patientEndedAt != null && patientEndedAt.isBefore(before)) {
            patientEndedAt = null;
            erased = false;
            forgot = true;
        }
        return forgot;
    }

    public boolean isEmpty() {
        return patientEndedAt == null && devicesEndedAt.isEmpty();
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    public void write(DataOutput out) throws IOException {
        InstantIO.write(out, patientEndedAt);
        out.writeBoolean(erased);
        out.writeShort(devicesEndedAt.size());
        for (Map.Entry<String, Instant> device : devicesEndedAt.entrySet()) {
            out.writeUTF(device.getKey());
            out.writeLong(device.getValue().toEpochMilli());
        }
    }

    public static EndedMonitoring read(DataInput in) throws IOException {
        EndedMonitoring ended = new EndedMonitoring();
        ended.patientEndedAt = InstantIO.read(in);
        ended.erased = in.readBoolean();
        for (int i = in.readShort(); i > 0; i--) {
            ended.devicesEndedAt.put(in.readUTF(), Instant.ofEpochMilli(in.readLong()));
        }
        return ended;
    }
}
