package org.cardiowatch.simulator.patient;

import java.time.Duration;

/**
 * A scripted stretch of a virtual patient's day, relative to the start of the scenario cycle.
 *
 * @param kind what happens
 * @param from when it starts within the cycle
 * @param lasting how long it lasts
 */
public record Episode(Kind kind, Duration from, Duration lasting) {

    /** What a scripted episode does to the readings. */
    public enum Kind {
        /** Heart rate around 150 bpm. */
        TACHYCARDIA,
        /** Heart rate around 36 bpm. */
        BRADYCARDIA,
        /** SpO2 around 85 %. */
        DESATURATION,
        /** Systolic pressure around 195 mmHg. */
        HYPERTENSION,
        /** The device sends nothing. */
        SILENCE,
        /** Irregularly irregular beats around 95 bpm. */
        ATRIAL_FIBRILLATION,
        /** Wide ventricular beats (no P wave, inverted T) around 160 bpm: ventricular tachycardia in the ECG. */
        VENTRICULAR_TACHYCARDIA
    }

    public boolean covers(Duration intoCycle) {
        return intoCycle.compareTo(from) >= 0 && intoCycle.compareTo(from.plus(lasting)) < 0;
    }
}
