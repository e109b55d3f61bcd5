package org.cardiowatch.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from Linux's /proc (the benchmark's machines). */
record ProcessStats(long cpuTicks, long residentKb) {

    /** Linux's USER_HZ, the unit of the CPU times in /proc/PID/stat. */
    static final double TICKS_PER_SECOND = 100.0;

    static ProcessStats of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long rss = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:")).findFirst()
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).orElse(0L);
            return new ProcessStats(ticks, rss);
        } catch (IOException | RuntimeException e) {
            return new ProcessStats(0, 0);
        }
    }

    /** Cores used on average between this and a later sample {@code seconds} apart. */
    double coresUntil(ProcessStats later, double seconds) {
        return (later.cpuTicks - cpuTicks) / TICKS_PER_SECOND / seconds;
    }
}
