package org.cardiowatch.processor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The stream processor's clinical and timing settings; Kafka Streams' own are under kafka-streams.*. */
@ConfigMapping(prefix = "cardiowatch.processor")
public interface ProcessorConfig {

    Thresholds thresholds();

    SignalLoss signalLoss();

    Aggregates aggregates();

    MonitoringEnds monitoringEnds();

    Rhythm rhythm();

    Sources sources();

    DeadLetters deadLetters();

    /** Defaults for patients whose physician set no limit of their own (cw.thresholds). */
    interface Thresholds {
        @WithDefault("40")
        double heartRateLowBpm();

        @WithDefault("130")
        double heartRateHighBpm();

        @WithDefault("90")
        double spo2LowPercent();

        @WithDefault("180")
        double systolicHighMmHg();

        @WithDefault("85")
        double systolicLowMmHg();

        /** How long a breach must last before it alerts. */
        @WithDefault("PT60S")
        Duration sustain();

        /** How long a measure must stay back within limits (by the hysteresis) before the alert resolves. */
        @WithDefault("PT30S")
        Duration clearAfter();
    }

    interface SignalLoss {
        @WithDefault("PT5M")
        Duration timeout();

        @WithDefault("PT10S")
        Duration checkInterval();
    }

    interface Rhythm {
        /** An RR interval longer than this is a pause. */
        @WithDefault("PT3S")
        Duration pauseLimit();

        /** A pause alert resolves after this long without another pause. */
        @WithDefault("PT5M")
        Duration pauseQuietPeriod();

        /**
         * While a device reported a heart rate this recently, the bradycardia and tachycardia rules
         * use it rather than the rate from beats (ECG, RR intervals).
         */
        @WithDefault("PT30S")
        Duration reportedRateHold();
    }

    /** How a patient's devices are compared: each is analysed alone, and a disagreement is a technical notice. */
    interface Sources {
        /** Two devices' heart rates further apart than this disagree. */
        @WithDefault("20")
        double heartRateToleranceBpm();

        @WithDefault("4")
        double spo2TolerancePercent();

        @WithDefault("20")
        double systolicToleranceMmHg();

        /** How long a disagreement lasts before the notice opens. */
        @WithDefault("PT60S")
        Duration disagreementSustain();

        /** How long a device's latest value counts beside another device's. */
        @WithDefault("PT15S")
        Duration freshness();
    }

    /** The ends of monitoring (device revoked, consent withdrawn, discharge, erasure). */
    interface MonitoringEnds {
        /**
         * How long an end is remembered, to drop the readings of that source still in the topics:
         * at least the retention of cw.vitals and cw.ecg (7 days as provisioned).
         */
        @WithDefault("P7D")
        Duration retention();
    }

    /** Records set aside on cw.dead-letters: the patient's technical alert "data not analysed". */
    interface DeadLetters {
        /** The alert resolves once none of the patient's records has been set aside for this long. */
        @WithDefault("PT10M")
        Duration clearAfter();
    }

    interface Aggregates {
        /** How late a reading may arrive (event time) and still count in its minute. */
        @WithDefault("PT30S")
        Duration minuteGrace();
    }
}
