package org.cardiowatch.processor.detection;

/**
 * A finding on one source of a patient's data, before {@link PatientEpisode} folds the sources
 * into the patient's one alert of its kind.
 *
 * @param source the device whose own signal shows it; for a disagreement between devices, the
 *     measure they disagree on
 * @param deviceId the device to name in the alert's evidence; null when the finding is not one device's
 */
public record SourceFinding(String source, String deviceId, Finding finding) {

    /** A finding on one device's own signal. */
    public static SourceFinding ofDevice(String deviceId, Finding finding) {
        return new SourceFinding(deviceId, deviceId, finding);
    }
}
