package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

class HeapAfterGcTest {

    @Test
    void shouldReadTheLiveBytesFromTheHistogramsTotal() {
        String histogram = """
                3796:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:        646411       25153968  [B (java.base@17.0.15)
                   2:         70125        6732000  java.util.HashMap$Node (java.base@17.0.15)
                6121:             1             16  sun.util.resources.cldr.provider.CLDRLocaleDataMetaInfo (jdk.localedata@17.0.15)
                Total       3391982      118613776
                """;

        assertThat(HeapAfterGc.liveBytes(histogram), is(118_613_776L));
    }

    @Test
    void shouldSayItCannotTellFromOutputWithoutAHistogram() {
        assertThat(HeapAfterGc.liveBytes("25144:\ncom.sun.tools.attach.AttachNotSupportedException: Unable to open socket file"),
                is(-1L));
    }

    @Test
    void shouldMeasureARunningJvm() {
        assertThat("this test's own JVM has live objects", HeapAfterGc.mb(ProcessHandle.current().pid()), greaterThan(0L));
    }
}
