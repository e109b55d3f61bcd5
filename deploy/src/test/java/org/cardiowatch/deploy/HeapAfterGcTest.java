package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

class HeapAfterGcTest {

    @Test
    void shouldCountBothGenerationsOfTheSerialCollectorTheServicesRunWith() {
        // The ingest's heap in the soak: the young generation alone (92 MB) hid a full old one (187 MB).
        String serial = """
                6910:
                 def new generation   total 118016K, used 92394K [0x00000000e8000000, 0x00000000f0000000, 0x00000000f0000000)
                  eden space 104960K,  82% used [0x00000000e8000000, 0x00000000ed4f1ae0, 0x00000000ee680000)
                  from space 13056K,  41% used [0x00000000ef340000, 0x00000000ef889090, 0x00000000f0000000)
                  to   space 13056K,   0% used [0x00000000ee680000, 0x00000000ee680000, 0x00000000ef340000)
                 tenured generation   total 262144K, used 191732K [0x00000000f0000000, 0x0000000100000000, 0x0000000100000000)
                   the space 262144K,  73% used [0x00000000f0000000, 0x00000000fbb3d280, 0x00000000fbb3d400, 0x0000000100000000)
                 Metaspace       used 74797K, committed 75584K, reserved 1179648K
                  class space    used 8541K, committed 8896K, reserved 1048576K
                """;

        assertThat(HeapAfterGc.usedKb(serial), is(92394L + 191732L));
    }

    @Test
    void shouldReadG1sOneHeapWithoutItsMetaspace() {
        String g1 = """
                25144:
                 garbage-first heap   total 686080K, used 463029K [0x0000000080000000, 0x0000000100000000)
                  region size 1024K, 142 young (145408K), 7 survivors (7168K)
                 Metaspace       used 100082K, committed 101184K, reserved 1179648K
                  class space    used 11468K, committed 12032K, reserved 1048576K
                """;

        assertThat(HeapAfterGc.usedKb(g1), is(463029L));
    }

    @Test
    void shouldSayItCannotTellFromOutputWithoutAHeap() {
        assertThat(HeapAfterGc.usedKb("25144:\ncom.sun.tools.attach.AttachNotSupportedException: Unable to open socket file"),
                is(-1L));
    }
}
