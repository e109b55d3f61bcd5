package org.cardiowatch.processor.topology;

import org.cardiowatch.processor.detection.ecg.QrsDetector;

/**
 * What the stream processor keeps per patient and device between ECG segments.
 *
 * @param originMillis device time of the detector's sample 0
 * @param lastBeatMillis time of the last beat reported, or {@link #UNKNOWN}
 */
record EcgAnalysis(long originMillis, long lastBeatMillis, QrsDetector detector) {

    static final long UNKNOWN = -1;

    long timeOf(long sampleIndex) {
        return originMillis + Math.round(sampleIndex * 1000 / detector.sampleRateHz());
    }

    long indexOf(long millis) {
        return Math.round((millis - originMillis) * detector.sampleRateHz() / 1000);
    }
}
