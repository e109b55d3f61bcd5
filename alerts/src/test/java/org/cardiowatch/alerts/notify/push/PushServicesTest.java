package org.cardiowatch.alerts.notify.push;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PushServicesTest {

    private final PushServices browsers = new PushServices(PushServices.BROWSERS);

    @ParameterizedTest
    @ValueSource(strings = {"https://fcm.googleapis.com/fcm/send/dTx:APA91b",
            "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
            "https://web.push.apple.com/QGuQyavXutnMH", "https://db5p.notify.windows.com/w/?token=BQYAAA",
            "https://FCM.googleapis.com:443/fcm/send/x"})
    void shouldTakeTheBrowsersPushServices(String endpoint) {
        assertThat(browsers.check(endpoint).toString(), equalTo(endpoint));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://fcm.googleapis.com/fcm/send/x", "https://10.0.0.5/internal", "https://localhost:8443/api/admin",
            "https://fcm.googleapis.com@evil.example/x", "https://fcm.googleapis.com.evil.example/x",
            "https://notify.windows.com.evil.example/x", "https://fcm.googleapis.com:8443/x", "/fcm/send/x",
            "file:///etc/passwd"})
    void shouldRefuseAnyOtherAddressSoAnAccountCannotMakeTheServiceCallInside(String endpoint) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> browsers.check(endpoint));
        assertThat(refused.getMessage(), containsString("endpoint is not"));
    }

    @Test
    void shouldSayWhatIsMissingOrTooLong() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> browsers.check(" ")).getMessage(),
                equalTo("endpoint is required"));
        String longOne = "https://fcm.googleapis.com/" + "x".repeat(PushServices.MAX_ENDPOINT_LENGTH);
        assertThat(assertThrows(IllegalArgumentException.class, () -> browsers.check(longOne)).getMessage(),
                containsString("longer than"));
    }

    @Test
    void shouldRefuseASettingThatIsNotAnOrigin() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new PushServices(List.of("https://push.example/path")));
        assertThat(refused.getMessage(), containsString("cardiowatch.alerts.notifications.push.services"));
        assertThat(new PushServices(List.of("http://127.0.0.1:9999")).check("http://127.0.0.1:9999/push/a").getPort(),
                equalTo(9999));
    }
}
