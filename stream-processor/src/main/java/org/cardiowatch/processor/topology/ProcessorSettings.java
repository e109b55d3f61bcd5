package org.cardiowatch.processor.topology;

import java.time.Duration;
import org.cardiowatch.processor.detection.SourceAgreement;
import org.cardiowatch.processor.detection.ThresholdDefaults;

/**
 * What the topology needs to know, as plain values (the Quarkus shell fills it from configuration).
 *
 * @param clearAfter how long a measure must stay back within limits before its alert resolves
 * @param signalLossTimeout silence after which a patient's signal counts as lost
 * @param signalCheckInterval how often (wall clock) silence is checked
 * @param minuteGrace how late a reading may arrive and still count in its minute
 * @param pauseLimit an RR interval longer than this is a pause
 * @param pauseQuietPeriod a pause alert resolves after this long without another pause
 * @param reportedRateHold while a device reported a heart rate this recently, the rate rules use it
 *        rather than the rate from beats
 * @param agreement how far and how long two devices of a patient may disagree on one measure
 * @param endedRetention how long the end of a source's monitoring is remembered to drop its readings
 *        still in the topics: at least the retention of cw.vitals and cw.ecg
 * @param unanalysedClearAfter a patient's technical alert for records set aside resolves after this
 *        long without another
 */
public record ProcessorSettings(ThresholdDefaults thresholds, Duration clearAfter, Duration signalLossTimeout,
        Duration signalCheckInterval, Duration minuteGrace, Duration pauseLimit, Duration pauseQuietPeriod,
        Duration reportedRateHold, SourceAgreement.Limits agreement, Duration endedRetention,
        Duration unanalysedClearAfter) {
}
