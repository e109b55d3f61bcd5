package org.cardiowatch.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.DateTimeType;

/** Instants as FHIR dateTimes to the millisecond, in UTC (HAPI's default would drop the milliseconds). */
final class FhirTime {

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private FhirTime() {
    }

    static DateTimeType of(Instant instant) {
        return new DateTimeType(Date.from(instant), TemporalPrecisionEnum.MILLI, UTC);
    }
}
