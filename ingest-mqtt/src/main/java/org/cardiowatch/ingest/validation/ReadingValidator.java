package org.cardiowatch.ingest.validation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.cardiowatch.schemas.avro.DeviceEcg;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.avro.RejectionReason;
import org.cardiowatch.schemas.wire.RejectedMessageException;

/**
 * Refuses readings no human body or sensor can produce, so that a broken or forged device cannot
 * raise (or hide) a clinical alert. The ranges are wide on purpose: they reject impossible values,
 * never merely alarming ones; alarming values are the stream processor's job.
 */
public final class ReadingValidator {

    static final Range HEART_RATE_BPM = new Range(15, 350);
    static final Range RR_INTERVAL_MS = new Range(150, 20_000);
    static final Range SPO2_PERCENT = new Range(40, 100);
    static final Range SYSTOLIC_MMHG = new Range(40, 300);
    static final Range DIASTOLIC_MMHG = new Range(15, 200);
    static final Range ECG_SAMPLE_RATE_HZ = new Range(125, 1000);
    static final Range ECG_MICROVOLTS = new Range(-20_000, 20_000);
    static final int MAX_RR_INTERVALS = 600;
    static final int MAX_ECG_SECONDS = 60;
    /** I, II, aVR, V1, MLII...: plain ASCII, so nothing odd travels on into logs and exports. */
    private static final Pattern LEAD_NAME = Pattern.compile("[A-Za-z0-9+-]{1,8}");

    private final Duration maxClockSkew;
    private final Duration maxAge;

    /**
     * @param maxClockSkew how far in the future a device clock may be before readings are refused
     * @param maxAge how old a reading may be when it arrives (devices buffer while offline)
     */
    public ReadingValidator(Duration maxClockSkew, Duration maxAge) {
        this.maxClockSkew = maxClockSkew;
        this.maxAge = maxAge;
    }

    record Range(double min, double max) {
        boolean contains(double value) {
            return value >= min && value <= max;
        }
    }

    public void check(DeviceVitals vitals, Instant receivedAt) throws RejectedMessageException {
        checkTime(vitals.getMeasuredAt(), receivedAt);
        boolean hasValue = false;
        if (vitals.getHeartRateBpm() != null) {
            checkRange("heartRateBpm", vitals.getHeartRateBpm(), HEART_RATE_BPM);
            hasValue = true;
        }
        if (vitals.getSpo2Percent() != null) {
            checkRange("spo2Percent", vitals.getSpo2Percent(), SPO2_PERCENT);
            hasValue = true;
        }
        if (vitals.getSystolicMmHg() != null || vitals.getDiastolicMmHg() != null) {
            if (vitals.getSystolicMmHg() == null || vitals.getDiastolicMmHg() == null) {
                throw new RejectedMessageException(RejectionReason.MALFORMED_READING,
                        "blood pressure needs both systolicMmHg and diastolicMmHg");
            }
            checkRange("systolicMmHg", vitals.getSystolicMmHg(), SYSTOLIC_MMHG);
            checkRange("diastolicMmHg", vitals.getDiastolicMmHg(), DIASTOLIC_MMHG);
            if (vitals.getDiastolicMmHg() >= vitals.getSystolicMmHg()) {
                throw new RejectedMessageException(RejectionReason.OUT_OF_RANGE,
                        "diastolicMmHg must be below systolicMmHg");
            }
            hasValue = true;
        }
        List<Integer> rr = vitals.getRrIntervalsMs();
        if (rr.size() > MAX_RR_INTERVALS) {
            throw new RejectedMessageException(RejectionReason.MALFORMED_READING,
                    "more than " + MAX_RR_INTERVALS + " RR intervals in one reading");
        }
        for (int interval : rr) {
            checkRange("rrIntervalsMs", interval, RR_INTERVAL_MS);
        }
        if (!hasValue && rr.isEmpty()) {
            throw new RejectedMessageException(RejectionReason.MALFORMED_READING, "reading holds no measurement");
        }
    }

    public void check(DeviceEcg ecg, Instant receivedAt) throws RejectedMessageException {
        checkTime(ecg.getStartedAt(), receivedAt);
        checkRange("sampleRateHz", ecg.getSampleRateHz(), ECG_SAMPLE_RATE_HZ);
        if (ecg.getLead() == null || !LEAD_NAME.matcher(ecg.getLead()).matches()) {
            throw new RejectedMessageException(RejectionReason.MALFORMED_READING,
                    "lead name must be 1 to 8 characters of A-Z a-z 0-9 + -");
        }
        List<Integer> samples = ecg.getSamplesMicroVolts();
        if (samples.isEmpty() || samples.size() > ecg.getSampleRateHz() * MAX_ECG_SECONDS) {
            throw new RejectedMessageException(RejectionReason.MALFORMED_READING,
                    "an ECG segment holds 1 sample to " + MAX_ECG_SECONDS + " seconds of samples");
        }
        for (int sample : samples) {
            checkRange("samplesMicroVolts", sample, ECG_MICROVOLTS);
        }
    }

    private void checkTime(Instant measuredAt, Instant receivedAt) throws RejectedMessageException {
        if (measuredAt.isAfter(receivedAt.plus(maxClockSkew))) {
            throw new RejectedMessageException(RejectionReason.TIMESTAMP_IN_FUTURE,
                    "measurement time is more than " + maxClockSkew + " ahead of the ingest clock");
        }
        if (measuredAt.isBefore(receivedAt.minus(maxAge))) {
            throw new RejectedMessageException(RejectionReason.TIMESTAMP_TOO_OLD,
                    "measurement time is more than " + maxAge + " old");
        }
    }

    private static void checkRange(String field, double value, Range range) throws RejectedMessageException {
        if (!range.contains(value)) {
            // The value itself stays out of the detail: rejections are operational data, not clinical.
            throw new RejectedMessageException(RejectionReason.OUT_OF_RANGE,
                    field + " outside the physiological range " + range.min() + " to " + range.max());
        }
    }
}
