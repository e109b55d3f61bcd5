package org.cardiowatch.alerts.review;

import java.time.Instant;

/**
 * One patient's last 24 hours on the daily review worklist. The vitals figures are null when
 * history is off or the patient sent no such reading.
 *
 * @param afMinutes time in atrial fibrillation, from the AF alert episodes
 * @param afBurdenPercent the same as a share of the 24 hours (AF burden)
 * @param pauses pause alerts raised in the window
 * @param ventricularTachycardias ventricular tachycardia alerts raised in the window (episodes)
 * @param longestVentricularRun the longest run of ventricular beats those episodes saw, or null
 * @param ventricularBurdenPercent ventricular ectopic beats (PVCs) as a share of the beats classified from the
 *     patient's ECG in the 24 hours; null without ECG or history
 * @param supraventricularBurdenPercent the same for supraventricular ectopic beats (SVEB burden)
 * @param desaturationMinutes minutes whose lowest SpO2 was under 90 %
 * @param hoursWithData of the 24, how many hold any reading (data coverage)
 * @param hoursMonitored of the 24, how many since the patient's first reading in them (24 without any)
 * @param attention how urgently the patient needs a look; the worklist sorts on it
 */
public record ReviewRow(String patientId, String name, Double heartRateMin, Double heartRateMean,
        Double heartRateMax, long afMinutes, double afBurdenPercent, int pauses, int ventricularTachycardias,
        Integer longestVentricularRun, Double ventricularBurdenPercent, Double supraventricularBurdenPercent,
        Long desaturationMinutes, Integer hoursWithData, Integer hoursMonitored,
        int alertsRaised, int alertsAcknowledged, int openAlerts, int openCritical, String reviewedBy,
        Instant reviewedAt, boolean reviewedToday, int attention) {
}
