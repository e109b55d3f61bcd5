package org.cardiowatch.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap a JVM still uses right after a full collection (what a leak makes grow), asked of it
 * with the JDK's jcmd: {@code GC.class_histogram} collects, then counts the live objects, whatever
 * the collector. (Reading {@code GC.heap_info} after {@code GC.run} instead counts what the JVM
 * allocated in between, and its first "used" is the young generation alone: that hid a leak.)
 */
final class HeapAfterGc {

    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private HeapAfterGc() {
    }

    /** In MB; -1 when it cannot be told (no jcmd, the process gone). */
    static long mb(long pid) {
        String histogram = jcmd(pid, "GC.class_histogram");
        long bytes = histogram == null ? -1 : liveBytes(histogram);
        return bytes < 0 ? -1 : bytes / (1024 * 1024);
    }

    /** The bytes of live objects a class histogram counts in its last line; -1 when it has none. */
    static long liveBytes(String histogram) {
        Matcher total = TOTAL.matcher(histogram);
        return total.find() ? Long.parseLong(total.group(1)) : -1;
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
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
