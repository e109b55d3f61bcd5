package org.cardiowatch.alerts.review;

import java.time.Instant;

/** A patient marked reviewed, as the API answers it. */
public record ReviewMark(String patientId, String reviewedBy, Instant reviewedAt) {
}
