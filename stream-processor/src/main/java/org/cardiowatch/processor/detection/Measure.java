package org.cardiowatch.processor.detection;

import java.util.OptionalDouble;
import org.cardiowatch.schemas.avro.VitalSigns;

/** The vital signs that threshold rules watch, with their names in the reading schema. */
public enum Measure {
    HEART_RATE("heartRateBpm", "bpm"),
    SPO2("spo2Percent", "%"),
    SYSTOLIC("systolicMmHg", "mmHg");

    private final String field;
    private final String unit;

    Measure(String field, String unit) {
        this.field = field;
        this.unit = unit;
    }

    public String field() {
        return field;
    }

    public String unit() {
        return unit;
    }

    /** The measure's value in the reading, if the device reported it. */
    public OptionalDouble in(VitalSigns reading) {
        Float value = switch (this) {
            case HEART_RATE -> reading.getHeartRateBpm();
            case SPO2 -> reading.getSpo2Percent();
            case SYSTOLIC -> reading.getSystolicMmHg();
        };
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
