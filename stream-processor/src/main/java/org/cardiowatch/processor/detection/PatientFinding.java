package org.cardiowatch.processor.detection;

import java.time.Instant;
import java.util.List;

/**
 * A change of a patient's alert of one kind, folded from its sources by {@link PatientEpisode}.
 *
 * @param finding the change, with the patient's onset and worst value
 * @param deviceId the device whose signal caused this change; null when it is not one device's
 * @param sources every source the episode rested on so far, in the order they joined it
 * @param resolution how the alert ended, on its resolution; null otherwise
 * @param worstAt when the episode's worst value was seen; null when it has none, or came before this was kept
 */
public record PatientFinding(Finding finding, String deviceId, List<String> sources, String resolution,
        Instant worstAt) {
}
