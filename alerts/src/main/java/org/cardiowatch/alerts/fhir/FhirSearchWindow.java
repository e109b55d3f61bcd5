package org.cardiowatch.alerts.fhir;

import jakarta.ws.rs.BadRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The time window of a FHIR search from its {@code date} parameters ({@code ge}, {@code gt},
 * {@code le}, {@code lt} with an instant or a day, as FHIR writes them); the last 24 hours when
 * none is given.
 */
record FhirSearchWindow(Instant from, Instant to) {

    static final Duration DEFAULT_SPAN = Duration.ofHours(24);

    static FhirSearchWindow parse(List<String> dates, Instant now) {
        Instant from = null;
        Instant to = null;
        for (String date : dates == null ? List.<String>of() : dates) {
            if (date.length() < 3) {
                throw new BadRequestException("date: a prefix ge, gt, le or lt and an instant or a day");
            }
            String prefix = date.substring(0, 2);
            Instant at = instant(date.substring(2));
            switch (prefix) {
                case "ge", "gt" -> from = at;
                case "le", "lt" -> to = at;
                default -> throw new BadRequestException("date: use ge, gt, le or lt, such as date=ge2026-11-26");
            }
        }
        Instant end = to == null ? now : to;
        Instant start = from == null ? end.minus(DEFAULT_SPAN) : from;
        if (!start.isBefore(end)) {
            throw new BadRequestException("date: the window's start must be before its end");
        }
        return new FhirSearchWindow(start, end);
    }

    private static Instant instant(String text) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("date: '" + text + "' is neither an instant (2026-11-26T08:00:00Z) nor a day");
        }
    }
}
