package org.cardiowatch.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The soak's record ({@code ./cardiowatch bench pipeline soak}): every few minutes under load, each
 * process's resident memory and its heap after a full collection, and the consumers' lag, printed
 * as taken (the run's progress); at the end, whether each stayed flat. A leak shows as heap after
 * collection that keeps growing; resident memory also grows while a JVM's heap and caches settle,
 * so the first sample is taken after the warm-up and the verdict compares the second half.
 */
final class SoakRecord {

    /** Growth from the middle sample to the last one still counted as flat: noise of a collector and caches. */
    private static final double FLAT_SHARE = 0.15;
    private static final long FLAT_MB = 32;

    record Sample(Duration at, Map<String, Long> residentMb, Map<String, Long> heapAfterGcMb, Map<String, Long> lag) {
    }

    private final List<Sample> samples = new ArrayList<>();

    /** Takes a sample of these processes and the consumers' lag now ({@code at}: into the window). */
    synchronized void take(Duration at, Map<String, Long> pids, Map<String, Long> lag) {
        Map<String, Long> resident = new LinkedHashMap<>();
        Map<String, Long> heap = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            heap.put(name, HeapAfterGc.mb(pid));
            resident.put(name, ProcessStats.of(pid).residentKb() / 1024);
        });
        Sample sample = new Sample(at, resident, heap, lag);
        samples.add(sample);
        StringBuilder line = new StringBuilder(String.format("SOAK t=%ds", at.toSeconds()));
        resident.forEach((name, mb) -> line.append(String.format(" | %s resident %d MB heap-after-GC %d MB", name, mb,
                heap.get(name))));
        lag.forEach((group, records) -> line.append(String.format(" | lag %s %d", group, records)));
        System.out.println(line);
    }

    /** Whether every process's memory and every consumer's lag stayed flat over the second half of the run. */
    synchronized boolean printVerdict(int rate, int lagToleranceSeconds) {
        if (samples.size() < 3) {
            System.out.println("SOAK too short to judge: fewer than 3 samples");
            return false;
        }
        Sample middle = samples.get(samples.size() / 2);
        Sample last = samples.get(samples.size() - 1);
        boolean flat = true;
        for (String name : last.residentMb().keySet()) {
            boolean residentFlat = flat(middle.residentMb().get(name), last.residentMb().get(name));
            boolean heapFlat = flat(middle.heapAfterGcMb().get(name), last.heapAfterGcMb().get(name));
            flat &= residentFlat && heapFlat;
            System.out.printf("SOAK %-24s resident %d -> %d MB (%s), heap after GC %d -> %d MB (%s)%n", name,
                    middle.residentMb().get(name), last.residentMb().get(name), residentFlat ? "flat" : "GROWING",
                    middle.heapAfterGcMb().get(name), last.heapAfterGcMb().get(name), heapFlat ? "flat" : "GROWING");
        }
        for (String group : last.lag().keySet()) {
            long from = middle.lag().getOrDefault(group, -1L);
            long to = last.lag().get(group);
            boolean keptUp = from >= 0 && to >= 0 && to - from <= (long) lagToleranceSeconds * rate;
            flat &= keptUp;
            System.out.printf("SOAK lag of %-17s %d -> %d records (%s)%n", group, from, to, keptUp ? "kept up" : "GROWING");
        }
        System.out.println(flat ? "SOAK flat: memory and lag did not grow over the second half"
                : "SOAK NOT FLAT: see GROWING above");
        return flat;
    }

    private static boolean flat(long from, long to) {
        return from >= 0 && to >= 0 && to <= from + Math.max(FLAT_MB, (long) (from * FLAT_SHARE));
    }
}
