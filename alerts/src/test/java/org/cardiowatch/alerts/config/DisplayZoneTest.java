package org.cardiowatch.alerts.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DisplayZoneTest {

    @Test
    void shouldTakeAnIanaZoneAndRefuseToStartOnOneThatIsNone() {
        assertThat(AlertsRuntime.displayZone("Europe/Paris").getId(), equalTo("Europe/Paris"));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> AlertsRuntime.displayZone("Paris"));
        assertThat("names the setting", refused.getMessage(), containsString("cardiowatch.alerts.display.time-zone"));
    }
}
