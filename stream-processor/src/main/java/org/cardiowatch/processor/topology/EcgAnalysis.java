package org.cardiowatch.processor.topology;

import org.cardiowatch.processor.detection.ecg.BeatClassifier;
import org.cardiowatch.processor.detection.ecg.QrsDetector;

/**
 * What the stream processor keeps per patient and device between ECG segments.
 *
 * @param originMillis device time of the detector's sample 0
 * @param lastBeatMillis time of the last beat reported, or {@link #UNKNOWN}
 * @param classifier classifies each beat the detector finds, one beat later
 */
record EcgAnalysis(long originMillis, long lastBeatMillis, QrsDetector detector, BeatClassifier classifier) {

    static final long UNKNOWN = -1;

    long timeOf(long sampleIndex) {
        return originMillis + Math.round(sampleIndex * 1000 / detector.sampleRateHz());
    }

    long indexOf(long millis) {
        return Math.round((millis - originMillis) * detector.sampleRateHz() / 1000);
    }
}
