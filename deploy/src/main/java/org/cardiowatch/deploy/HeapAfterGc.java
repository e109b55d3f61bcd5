package org.cardiowatch.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap a JVM still uses right after a full collection (what a leak makes grow), asked of it
 * with the JDK's jcmd: {@code GC.run}, then {@code GC.heap_info}.
 */
final class HeapAfterGc {

    /**
     * Each part of the heap as {@code GC.heap_info} prints it, summed: the young and the old
     * generation (Serial, Parallel) or G1's one heap. Their spaces (eden, survivors) and the
     * metaspace say no "total".
     */
    private static final Pattern HEAP_PART_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private HeapAfterGc() {
    }

    /** In KB; -1 when it cannot be told (no jcmd, the process gone, a collector that prints otherwise). */
    static long kb(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (jcmd(jcmd, pid, "GC.run") == null) {
            return -1;
        }
        String heapInfo = jcmd(jcmd, pid, "GC.heap_info");
        return heapInfo == null ? -1 : usedKb(heapInfo);
    }

    /** In MB; -1 when it cannot be told. */
    static long mb(long pid) {
        long kb = kb(pid);
        return kb < 0 ? -1 : kb / 1024;
    }

    /** The heap in use that {@code GC.heap_info}'s output shows, in KB; -1 when it shows none. */
    static long usedKb(String heapInfo) {
        Matcher used = HEAP_PART_USED.matcher(heapInfo);
        long kb = 0;
        boolean found = false;
        while (used.find()) {
            kb += Long.parseLong(used.group(1));
            found = true;
        }
        return found ? kb : -1;
    }

    private static String jcmd(Path jcmd, long pid, String command) {
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
