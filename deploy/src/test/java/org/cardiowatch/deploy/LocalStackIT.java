package org.cardiowatch.deploy;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.cardiowatch.embedded.DashboardSocket;
import org.cardiowatch.embedded.FreePorts;
import org.cardiowatch.schemas.avro.Alert;
import org.cardiowatch.schemas.avro.AlertEvidence;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceVitals;
import org.cardiowatch.schemas.topics.TopicScan;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.cardiowatch.schemas.transport.TlsClientSockets;
import org.cardiowatch.schemas.wire.P256Keys;
import org.cardiowatch.simulator.device.SealedDevicePublisher;
import org.cardiowatch.simulator.patient.Episode;
import org.cardiowatch.simulator.patient.VirtualPatient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole pipeline as the local stack runs it: real brokers, the three services as their own
 * processes, a device publishing sealed readings over MQTT with TLS, physicians' dashboards on
 * WebSockets. Sustain and escalation times are shortened so the test takes seconds, not minutes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    private static final String PASSWORD = "e2e-password";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpClient https;
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path home;
    static LocalStack stack;
    static String base;
    /** Plays a browser's push service: no real one is reachable from the test machines. */
    static PushEndpoint pushService;

    @BeforeAll
    static void startStack() throws Exception {
        int httpPort = FreePorts.next();
        pushService = new PushEndpoint();
        stack = LocalStack.start(new LocalStack.Settings(LocalStackMain.repository(), home, 0, 0, httpPort,
                FreePorts.next(), FreePorts.next(), PASSWORD.toCharArray(), false, Map.of(
                        "CARDIOWATCH_PROCESSOR_THRESHOLDS_SUSTAIN", "PT5S",
                        "CARDIOWATCH_PROCESSOR_THRESHOLDS_CLEAR_AFTER", "PT5S",
                        "CARDIOWATCH_ALERTS_ESCALATION_TIMEOUT", "PT10S",
                        "CARDIOWATCH_ALERTS_ESCALATION_CHECK_INTERVAL", "PT1S",
                        "CARDIOWATCH_ALERTS_NOTIFICATIONS_PUSH_SERVICES", pushService.origin())));
        base = "https://127.0.0.1:" + httpPort;
        https = HttpClient.newBuilder().sslContext(stack.dashboardTls()).build();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (pushService != null) {
            pushService.close();
        }
    }

    @Test
    void shouldRaiseATachycardiaAlertFromADeviceOnTheTreatingPhysiciansDashboardAndEscalateWhatIsNotAcknowledged()
            throws Exception {
        Enrolled acknowledged = enrol("p-e2e-ack", "dev-e2e-ack");
        Enrolled escalated = enrolWithTheCommand("p-e2e-esc", "dev-e2e-esc");
        Device stored = TopicScan.read(stack.brokers().bootstrapServers(), stack.kafkaClientSettings(), Topics.DEVICES, Instant.EPOCH,
                d -> d.getDeviceId().equals(acknowledged.deviceId()), 10).get(0);
        byte[] storedKey = new byte[stored.getPayloadKey().remaining()];
        stored.getPayloadKey().duplicate().get(storedKey);
        assertThat("cw.devices holds the payload key encrypted, not as issued",
                java.util.Arrays.equals(storedKey, acknowledged.key()), is(false));
        assertThat("in the vault's 61-byte form", storedKey.length, is(61));
        URI socketUri = URI.create(base.replace("https", "wss") + "/ws/alerts");
        try (DashboardSocket treating = DashboardSocket.open(socketUri, stack.dashboardTls(), "cardio1", PASSWORD);
                DashboardSocket backup = DashboardSocket.open(socketUri, stack.dashboardTls(), "cardio2", PASSWORD);
                SealedDevicePublisher ackDevice = acknowledged.connect();
                SealedDevicePublisher escDevice = escalated.connect()) {
            for (int second = 0; second < 9; second++) {
                Instant now = Instant.now();
                ackDevice.publish(heartRate(now, 150f));
                escDevice.publish(heartRate(now, 152f));
                Thread.sleep(1000);
            }

            assertThat("the treating physician's dashboard receives the first patient's alert",
                    treating.awaitMessageContaining("p-e2e-ack", WAIT), is(true));
            assertThat("and the second patient's", treating.awaitMessageContaining("p-e2e-esc", WAIT), is(true));
            assertThat("the alert is a tachycardia", treating.receivedContaining("p-e2e-ack").get(0),
                    org.hamcrest.Matchers.containsString("TACHYCARDIA"));
            assertThat("another physician's dashboard is told nothing before an escalation",
                    backup.receivedContaining("p-e2e-"), empty());

            String alertId = alertIdOf(treating.receivedContaining("p-e2e-ack").get(0));
            HttpResponse<String> ack = call("cardio1", "POST", "/api/alerts/" + alertId + "/ack");
            assertThat("the treating physician acknowledges: " + ack.body(), ack.statusCode(), is(200));
            assertThat(JSON.readTree(ack.body()).get("acknowledgedBy").asText(), equalTo("cardio1"));

            assertThat("the unacknowledged alert escalates to the backup physician's dashboard",
                    backup.awaitMessageContaining("\"escalatedTo\":\"cardio2\"", WAIT), is(true));
            String escalatedId = alertIdOf(backup.receivedContaining("\"escalatedTo\":\"cardio2\"").get(0));
            await("the backup physician is paged too").atMost(WAIT).until(() -> stack.pagerMessages().stream()
                    .anyMatch(m -> m.path("event").asText().equals("alert.escalated")
                            && m.path("recipient").asText().equals("cardio2")
                            && m.path("link").asText().endsWith("id=" + escalatedId)));
            assertThat("after the treating physician, when it was raised", stack.pagerMessages().stream()
                    .filter(m -> m.path("event").asText().equals("alert.raised") && m.path("recipient").asText().equals("cardio1"))
                    .map(m -> m.path("link").asText()).toList(),
                    org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.endsWith("id=" + escalatedId)));
            assertThat("no page names a patient", stack.pagerMessages().toString(),
                    not(org.hamcrest.Matchers.containsString("p-e2e")));
            assertThat("the escalated alert is the unacknowledged patient's",
                    backup.receivedContaining("\"escalatedTo\":\"cardio2\"").get(0),
                    org.hamcrest.Matchers.containsString("p-e2e-esc"));
            assertThat("the acknowledged alert never reaches the backup", backup.receivedContaining("p-e2e-ack"), empty());
            assertThat("the backup may now open the escalated patient",
                    call("cardio2", "GET", "/api/patients/p-e2e-esc").statusCode(), is(200));
            assertThat("but not the other patient of the colleague",
                    call("cardio2", "GET", "/api/patients/p-e2e-ack").statusCode(), is(404));
            JsonNode open = JSON.readTree(call("cardio1", "GET", "/api/alerts").body());
            assertThat("GET /api/alerts lists the physician's open alerts", open.findValuesAsText("patientId"),
                    org.hamcrest.Matchers.hasItems("p-e2e-ack", "p-e2e-esc"));
            assertThat(call("cardio1", "GET", "/api/patients/p-e2e-ack/vitals").body(), not(equalTo("[]")));
        }
        List<String> forbidden = new ArrayList<>(stack.secrets());
        forbidden.addAll(List.of("p-e2e-ack", "p-e2e-esc", "E2E p-e2e",
                Base64.getEncoder().encodeToString(acknowledged.key()),
                Base64.getEncoder().encodeToString(escalated.key()), escalated.keyStorePassword(),
                // What Quarkus writes when it makes a sign-in cookie key of its own, the key after it.
                "using temporary key"));
        assertLogsHoldNoSecretsOrPatientData(forbidden);
    }

    @Test
    void shouldResolveAnOpenAlertWithItsReasonWhenThePatientIsDischarged() throws Exception {
        Enrolled patch = enrol("p-e2e-dis", "dev-e2e-dis");
        URI socketUri = URI.create(base.replace("https", "wss") + "/ws/alerts");
        try (DashboardSocket treating = DashboardSocket.open(socketUri, stack.dashboardTls(), "cardio1", PASSWORD);
                SealedDevicePublisher device = patch.connect()) {
            for (int second = 0; second < 9; second++) {
                device.publish(heartRate(Instant.now(), 150f));
                Thread.sleep(1000);
            }
            assertThat("the tachycardia is open", treating.awaitMessageContaining("p-e2e-dis", WAIT), is(true));

            // Through the real ACLs: the alerts service writes cw.monitoring-ends, the processor reads it.
            HttpResponse<String> discharge = call("admin", "POST", "/api/admin/patients/p-e2e-dis/discharge");
            assertThat(discharge.body(), discharge.statusCode(), is(200));
            assertThat(JSON.readTree(discharge.body()).get("devicesRevoked").get(0).asText(), equalTo("dev-e2e-dis"));

            await("the alert resolves with the reason").atMost(WAIT).until(() ->
                    TopicScan.read(stack.brokers().bootstrapServers(), stack.kafkaClientSettings(), Topics.ALERTS,
                            Instant.EPOCH, a -> a.getPatientId().equals("p-e2e-dis")
                                    && "monitoring ended: discharged".equals(a.getEvidence().getResolution()), 1).size() == 1);
            await("the physician's dashboard is told").atMost(WAIT).until(() -> treating.receivedContaining("p-e2e-dis")
                    .stream().anyMatch(message -> message.contains("\"state\":\"RESOLVED\"")));
        }
    }

    /** The three services' logs of the whole run, as an operator would ship them to a log system. */
    private static void assertLogsHoldNoSecretsOrPatientData(List<String> forbidden) throws IOException {
        List<Path> logs;
        try (var files = Files.list(home.resolve("logs"))) {
            logs = files.filter(f -> f.toString().endsWith(".log")).toList();
        }
        assertThat("each service writes a log", logs.size(), is(3));
        for (Path log : logs) {
            String text = Files.readString(log);
            assertThat(log + " is not empty", text.isBlank(), is(false));
            for (String secret : forbidden) {
                assertThat(log.getFileName() + " must not contain patient data, keys or passwords",
                        text.contains(secret) ? secret : null, org.hamcrest.Matchers.nullValue());
            }
        }
    }

    @Test
    void shouldRaiseVentricularTachycardiaFromAnEcgPatchAndMarkItsVentricularBeatsOnTheStrip() throws Exception {
        // A chest patch: 30 s of sinus rhythm (the classifier learns the patient's normal beat), then wide beats at 160 bpm.
        sendFromAChestPatch("p-e2e-vt", "dev-e2e-vt", Episode.Kind.VENTRICULAR_TACHYCARDIA, 30, 42);
        await("the ventricular tachycardia alert").atMost(WAIT).until(() -> call("cardio1", "GET", "/api/alerts").body()
                .contains("VENTRICULAR_TACHYCARDIA"));

        WebDriver treating = HeadlessChromium.start(stack, home.resolve("chromium-vt"));
        try {
            signIn(treating, "cardio1");
            treating.get(base + "/patient.html?id=p-e2e-vt");
            WebElement stripButton = new WebDriverWait(treating, WAIT).until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("#episodes tr[data-kind=VENTRICULAR_TACHYCARDIA] button.strip")));
            stripButton.click();
            new WebDriverWait(treating, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#ecg .uplot")));
            WebElement strip = treating.findElement(By.id("ecg"));
            assertThat("the strip marks the ventricular beats apart", Integer.parseInt(
                    strip.getDomAttribute("data-ventricular-beats")), org.hamcrest.Matchers.greaterThan(5));
            assertThat("and the normal ones before the onset", Integer.parseInt(strip.getDomAttribute("data-beats")),
                    org.hamcrest.Matchers.greaterThan(Integer.parseInt(strip.getDomAttribute("data-ventricular-beats"))));
            ((JavascriptExecutor) treating).executeScript("document.getElementById('ecg').scrollIntoView({block: 'center'});");
            HeadlessChromium.screenshot(treating, SCREENSHOTS.resolve("ecg-strip-ventricular.png"));

            // The physician was paged: the link in the notification opens the alert, acknowledged with one click.
            String vtAlert = JSON.readTree(call("cardio1", "GET", "/api/alerts").body()).findParents("kind").stream()
                    .filter(a -> a.get("patientId").asText().equals("p-e2e-vt")
                            && a.get("kind").asText().equals("VENTRICULAR_TACHYCARDIA"))
                    .findFirst().orElseThrow().get("id").asText();
            await("the treating physician is paged").atMost(WAIT).until(() -> stack.pagerMessages().stream()
                    .anyMatch(m -> m.path("link").asText().endsWith("id=" + vtAlert)));
            com.fasterxml.jackson.databind.JsonNode page = stack.pagerMessages().stream()
                    .filter(m -> m.path("link").asText().endsWith("id=" + vtAlert)).findFirst().orElseThrow();
            assertThat(page.path("recipient").asText(), equalTo("cardio1"));
            assertThat("the page names no patient", page.toString(), not(org.hamcrest.Matchers.containsString("p-e2e-vt")));
            await("and e-mailed, over STARTTLS, to the local mail server").atMost(WAIT).until(() -> stack.mail().stream()
                    .anyMatch(m -> m.message().contains("id=" + vtAlert)));
            LocalMailbox.Received mail = stack.mail().stream().filter(m -> m.message().contains("id=" + vtAlert))
                    .findFirst().orElseThrow();
            assertThat(mail.recipients(), equalTo(List.of("cardio1@cardiowatch.local")));
            assertThat("the e-mail names no patient", mail.message(), not(org.hamcrest.Matchers.containsString("p-e2e-vt")));
            treating.get(page.path("link").asText());
            WebElement card = new WebDriverWait(treating, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#alert article[data-alert-id='" + vtAlert + "']")));
            card.findElement(By.cssSelector("button.ack")).click();
            new WebDriverWait(treating, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector("#alert article"), "acknowledged by cardio1"));
            HeadlessChromium.screenshot(treating, SCREENSHOTS.resolve("alert-from-notification.png"));
        } finally {
            treating.quit();
        }
    }

    @Test
    void shouldShowAnAlertLiveInThePhysiciansBrowserWithItsEcgStripAndDailyReviewAndHideThePatientFromOthers()
            throws Exception {
        Enrolled device = enrol("p-e2e-web", "dev-e2e-web");
        // A chest patch: vitals every second and the second's ECG, resting, then tachycardic from the 4th second.
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        VirtualPatient heart = new VirtualPatient("p-e2e-web", 70, List.of(new Episode(Episode.Kind.TACHYCARDIA,
                Duration.ofSeconds(4), Duration.ofMinutes(5))), Duration.ofMinutes(10), true, 7, start);
        WebDriver treating = HeadlessChromium.start(stack, home.resolve("chromium-cardio1"));
        WebDriver other = HeadlessChromium.start(stack, home.resolve("chromium-cardio2"));
        try (SealedDevicePublisher monitor = device.connect()) {
            signIn(treating, "cardio1");
            ((JavascriptExecutor) treating).executeScript("window.cwSamePage = true;");
            publishEverySecond(monitor, heart, start, 16);

            WebElement card = new WebDriverWait(treating, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                    By.xpath("//article[contains(@class,'alert')][contains(., 'E2E p-e2e-web')]")));
            assertThat("the alert arrived without reloading the page",
                    ((JavascriptExecutor) treating).executeScript("return window.cwSamePage === true;"), is(true));
            assertThat(card.getText(), org.hamcrest.Matchers.containsString("Tachycardia — "));
            assertThat("its time with the date, on a 24-hour clock, in the hospital's zone (Europe/Paris)", card.getText(),
                    org.hamcrest.Matchers.matchesPattern("(?s).*opened \\d{1,2} [A-Z][a-z]{2}, \\d{2}:\\d{2}:\\d{2} CES?T.*"));
            HeadlessChromium.screenshot(treating, SCREENSHOTS.resolve("dashboard-live-alert.png"));

            card.findElement(By.cssSelector("button.ack")).click();
            new WebDriverWait(treating, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.xpath("//article[contains(., 'E2E p-e2e-web')]"), "acknowledged by cardio1"));
            HeadlessChromium.screenshot(treating, SCREENSHOTS.resolve("dashboard-acknowledged.png"));

            treating.findElement(By.xpath("//ul[@id='patients']/li[contains(., 'E2E p-e2e-web')]")).click();
            new WebDriverWait(treating, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#hr-chart .uplot")));
            assertThat(treating.findElement(By.id("patient-name")).getText(), equalTo("E2E p-e2e-web"));
            WebElement stripButton = new WebDriverWait(treating, WAIT).until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("#episodes tr[data-kind=TACHYCARDIA] button.strip")));
            assertThat("the alert is on the timeline", treating.findElements(By.cssSelector("#timeline-chart .uplot")),
                    not(empty()));
            stripButton.click();
            new WebDriverWait(treating, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#ecg .uplot")));
            int beatsMarked = Integer.parseInt(treating.findElement(By.id("ecg")).getDomAttribute("data-beats"));
            assertThat("the strip marks the beats the stream processor detected in the ECG", beatsMarked,
                    org.hamcrest.Matchers.greaterThan(10));
            fullPageScreenshot(treating, "patient-page.png");

            treating.findElement(By.linkText("Daily review")).click();
            WebElement row = new WebDriverWait(treating, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                    By.xpath("//div[@id='review']//tr[@data-patient-id='p-e2e-web']")));
            row.findElement(By.cssSelector("button.mark-reviewed")).click();
            new WebDriverWait(treating, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.xpath("//tr[@data-patient-id='p-e2e-web']/td[contains(@class,'reviewed-by')]"), "cardio1"));
            fullPageScreenshot(treating, "daily-review.png");

            signIn(other, "cardio2");
            awaitLoaded(other, "patients");
            assertThat("another team's physician does not see the patient",
                    other.findElement(By.id("patients")).getText(), not(org.hamcrest.Matchers.containsString("p-e2e-web")));
            assertThat(other.findElement(By.id("inbox")).getText(), not(org.hamcrest.Matchers.containsString("p-e2e-web")));
            other.get(base + "/patient.html?id=p-e2e-web");
            new WebDriverWait(other, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"),
                    "No such patient in your care team."));
            other.get(base + "/review.html");
            awaitLoaded(other, "review");
            assertThat(other.findElement(By.id("review")).getText(), not(org.hamcrest.Matchers.containsString("p-e2e-web")));
        } finally {
            treating.quit();
            other.quit();
        }
    }

    @Test
    void shouldFitEveryPageOnADesktopAndATabletInEnglishAndFrenchWithTheTimelineOnTheChartsTimeAxis() throws Exception {
        sendFromAChestPatch("p-e2e-pages", "dev-e2e-pages", Episode.Kind.TACHYCARDIA, 3, 14);
        await("the tachycardia is in the patient's history").atMost(WAIT).until(() ->
                call("cardio1", "GET", "/api/patients/p-e2e-pages/alerts?range=24h").body().contains("TACHYCARDIA"));
        String alertId = JSON.readTree(call("cardio1", "GET", "/api/alerts").body()).findParents("kind").stream()
                .filter(a -> a.get("patientId").asText().equals("p-e2e-pages")).findFirst().orElseThrow()
                .get("id").asText();
        List<String> pages = List.of("/", "/review.html", "/patient.html?id=p-e2e-pages", "/alert.html?id=" + alertId);

        WebDriver browser = HeadlessChromium.start(stack, home.resolve("chromium-pages"));
        try {
            for (Dimension size : List.of(new Dimension(1280, 900), new Dimension(800, 1100))) {
                browser.manage().window().setSize(size);
                browser.get(base + "/login.html");
                new WebDriverWait(browser, WAIT).until(page -> ((JavascriptExecutor) page)
                        .executeScript("return document.querySelector('#language').options.length") instanceof Long n && n > 0);
                assertFits(browser, "/login.html", size);
                signIn(browser, "cardio1");
                for (String page : pages) {
                    browser.get(base + page);
                    awaitPageDrawn(browser, page);
                    assertFits(browser, page, size);
                }
                browser.get(base + "/patient.html?id=p-e2e-pages");
                awaitPageDrawn(browser, "/patient.html");
                assertTimelineOnTheChartsTimeAxis(browser, size);
                assertThat("dates in English: day, month, year, 24-hour clock", browser.findElement(
                        By.cssSelector("#episodes tr[data-kind=TACHYCARDIA] td:nth-child(2)")).getText(),
                        org.hamcrest.Matchers.matchesPattern("\\d{1,2} [A-Z][a-z]{2} \\d{4}, \\d{2}:\\d{2} CES?T"));
                browser.findElement(By.cssSelector("#episodes tr[data-kind=TACHYCARDIA] button.strip")).click();
                new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#ecg .uplot")));
                new WebDriverWait(browser, WAIT).until(page -> page.findElement(By.id("ecg-caption")).getText()
                        .contains("bpm over the strip"));
                WebElement calibration = browser.findElement(By.id("ecg-calibration"));
                assertThat("the lead's name and the 1 mV pulse stay beside the strip", calibration.isDisplayed(), is(true));
                assertThat("as tall as the strip's 4 mV", calibration.getSize().getHeight(),
                        org.hamcrest.Matchers.greaterThan(4 * 10 * 4));
                assertThat(browser.findElement(By.id("ecg-caption")).getText(),
                        org.hamcrest.Matchers.containsString("lead " + calibration.getDomAttribute("data-lead") + ","));
                assertThat("a strip wider than the screen says that it scrolls",
                        browser.findElement(By.id("ecg-scroll-hint")).isDisplayed(), is(true));
                String suffix = "-" + size.getWidth() + ".png";
                fullPageScreenshot(browser, "patient-page" + suffix);
                browser.get(base + "/review.html");
                awaitPageDrawn(browser, "/review.html");
                fullPageScreenshot(browser, "daily-review" + suffix);
                browser.manage().deleteAllCookies();
            }
        } finally {
            browser.quit();
        }

        // A browser in French: the pages follow its language, or the clinician's choice, kept in the browser.
        browser = HeadlessChromium.startInLanguage(home.resolve("chromium-pages-fr"), "fr-FR", stack.dashboardKeyPin());
        try {
            browser.manage().window().setSize(new Dimension(800, 1100));
            browser.get(base + "/login.html");
            By userNameLabel = By.cssSelector("label[for=username]");
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(userNameLabel, "Nom d'utilisateur"));
            new Select(browser.findElement(By.id("language"))).selectByValue("en");
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(userNameLabel, "User name"));
            browser.navigate().refresh();
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(userNameLabel, "User name"));
            new Select(browser.findElement(By.id("language"))).selectByValue("fr");
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(userNameLabel, "Nom d'utilisateur"));
            browser.findElement(By.id("username")).sendKeys("cardio1");
            browser.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("live"), "en direct"));
            assertThat(browser.findElement(By.id("inbox-title")).getText(), equalTo("Alertes reçues"));
            browser.get(base + "/patient.html?id=p-e2e-pages");
            awaitPageDrawn(browser, "/patient.html");
            assertFits(browser, "/patient.html in French", new Dimension(800, 1100));
            assertThat(browser.findElement(By.cssSelector("#episodes tr[data-kind=TACHYCARDIA] td.kind")).getText(),
                    equalTo("Tachycardie"));
            assertThat("dates in French: day, month, year, 24-hour clock", browser.findElement(
                    By.cssSelector("#episodes tr[data-kind=TACHYCARDIA] td:nth-child(2)")).getText(),
                    org.hamcrest.Matchers.matchesPattern("\\d{1,2} [a-zéû]{3,5}\\.? \\d{4},? (à )?\\d{2}:\\d{2} UTC\\+[12]"));
            fullPageScreenshot(browser, "patient-page-fr.png");
            browser.get(base + "/review.html");
            awaitPageDrawn(browser, "/review.html");
            assertThat(browser.findElement(By.id("review-title")).getText(),
                    equalTo("Revue quotidienne — les dernières 24 heures"));
            assertFits(browser, "/review.html in French", new Dimension(800, 1100));
            fullPageScreenshot(browser, "daily-review-fr.png");
        } finally {
            browser.quit();
        }
    }

    /**
     * Enrols a chest patch for the patient and sends from it in real time, at a resting 70 bpm with
     * the episode from {@code episodeFrom} seconds, for {@code seconds} seconds.
     */
    private static void sendFromAChestPatch(String patientId, String deviceId, Episode.Kind episode, int episodeFrom,
            int seconds) throws Exception {
        Enrolled device = enrol(patientId, deviceId);
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        VirtualPatient heart = new VirtualPatient(patientId, 70, List.of(new Episode(episode,
                Duration.ofSeconds(episodeFrom), Duration.ofMinutes(5))), Duration.ofMinutes(10), true, 11, start);
        try (SealedDevicePublisher patch = device.connect()) {
            publishEverySecond(patch, heart, start, seconds);
        }
    }

    /** A chest patch in real time: each second's reading and the second's ECG, for {@code seconds} seconds from {@code start}. */
    private static void publishEverySecond(SealedDevicePublisher patch, VirtualPatient heart, Instant start, int seconds)
            throws InterruptedException {
        for (int second = 1; second <= seconds; second++) {
            Instant now = start.plusSeconds(second);
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), now).toMillis()));
            heart.readingAt(now).ifPresent(patch::publish);
            patch.publish(heart.ecgSegment(now.minusSeconds(1), Duration.ofSeconds(1)));
        }
    }

    /** Until the page's data is drawn: no "Loading…" left, and the patient page's charts there. */
    private static void awaitPageDrawn(WebDriver browser, String page) {
        new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class).until(driver ->
                !driver.findElement(By.tagName("main")).getText().contains("Loading…")
                        && !driver.findElement(By.tagName("main")).getText().contains("Chargement…"));
        if (page.startsWith("/patient.html")) {
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#timeline-chart[data-time-ticks]")));
        }
    }

    /** Nothing off-screen: the document as wide as the window, and nothing scrolling sideways but the ECG strip. */
    private static void assertFits(WebDriver browser, String page, Dimension size) {
        JavascriptExecutor script = (JavascriptExecutor) browser;
        List<?> both = (List<?>) script.executeScript(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];");
        assertThat(page + " at " + size + ": the document is as wide as the window", both.get(0), equalTo(both.get(1)));
        Object outside = script.executeScript("""
                const width = document.documentElement.clientWidth;
                return [...document.querySelectorAll('body *')]
                  .filter(e => !e.closest('#ecg') && e.getClientRects().length > 0)
                  .filter(e => e.getBoundingClientRect().right > width + 1
                    || (['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1))
                  .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className);""");
        assertThat(page + " at " + size + ": elements off-screen or scrolling sideways", (List<?>) outside, empty());
    }

    /** The alert timeline's time ticks at the same pixels as the heart-rate chart's. */
    private static void assertTimelineOnTheChartsTimeAxis(WebDriver browser, Dimension size) throws IOException {
        JsonNode chart = JSON.readTree(browser.findElement(By.id("hr-chart")).getDomAttribute("data-time-ticks"));
        JsonNode timeline = JSON.readTree(browser.findElement(By.id("timeline-chart")).getDomAttribute("data-time-ticks"));
        assertThat("the chart has time ticks at " + size, chart.size(), org.hamcrest.Matchers.greaterThan(1));
        assertThat("the timeline's ticks are the chart's, pixel for pixel, at " + size, timeline, equalTo(chart));
    }

    @Test
    @Order(1) // as at the demo's first start: the history is in the topics before any live reading
    void shouldShowTheDemosSimulatedWeekAndItsAfStripAndRaiseNothingFromIt() throws Exception {
        preparePatient("p-e2e-history");
        DemoCohort.DemoPatient patient = new DemoCohort.DemoPatient("p-e2e-history", "E2E p-e2e-history", "cardio1",
                "cardio2", 70, true, List.of(new Episode(Episode.Kind.TACHYCARDIA, Duration.ofSeconds(20),
                        Duration.ofSeconds(180))), "dev-e2e-history", new byte[32]);
        Instant now = Instant.now();
        DemoHistory.Plan plan = DemoHistory.plan(List.of(patient), now, java.time.ZoneId.of("Europe/Paris"));
        try (TopicWriter writer = new TopicWriter(stack.brokers().bootstrapServers(), stack.kafkaClientSettings())) {
            DemoHistory.write(writer, plan);
        }

        await("seven days of minutes in the 7-day trend").atMost(WAIT).until(() -> {
            JsonNode points = JSON.readTree(call("cardio1", "GET", "/api/patients/p-e2e-history/trends?range=7d").body())
                    .get("points");
            return points.size() > 0 && points.get(0).get("time").asLong()
                    <= now.minus(Duration.ofDays(7)).plus(Duration.ofMinutes(10)).toEpochMilli();
        });
        await("the simulated alerts in the history").atMost(WAIT).until(() -> JSON.readTree(call("cardio1", "GET",
                "/api/patients/p-e2e-history/alerts?range=7d").body()).size() == plan.alerts().size());
        try (ConsumerLag lag = new ConsumerLag(stack.brokers().bootstrapServers(), stack.kafkaClientSettings())) {
            await("the stream processor has read it all").atMost(WAIT)
                    .until(() -> lag.of(List.of("cw-stream-processor")).get("cw-stream-processor") == 0);
        }
        JsonNode episodes = JSON.readTree(call("cardio1", "GET", "/api/patients/p-e2e-history/alerts?range=7d").body());
        assertThat("the processor raised nothing from the imported ECG: only the simulated alerts", episodes.size(),
                is(plan.alerts().size()));
        episodes.forEach(e -> assertThat(e.get("summary").asText(), org.hamcrest.Matchers.startsWith(DemoHistory.MARK)));
        assertThat(call("cardio1", "GET", "/api/alerts").body(), not(org.hamcrest.Matchers.containsString("p-e2e-history")));

        Alert af = plan.alerts().stream().filter(a -> a.getKind() == AlertKind.ATRIAL_FIBRILLATION).findFirst().orElseThrow();
        JsonNode strip = JSON.readTree(call("cardio1", "GET", "/api/patients/p-e2e-history/ecg?at="
                + af.getOpenedAt()).body());
        assertThat("the AF episode's strip", strip.get("samplesMicroVolts").size(), org.hamcrest.Matchers.greaterThan(2500));
        Instant from = Instant.parse(strip.get("from").asText());
        Instant to = Instant.parse(strip.get("to").asText());
        assertThat("its beats, the history's only (no detector ran on it)", strip.get("beats").size(), is((int) plan.beats()
                .stream().filter(b -> !b.getRPeakAt().isBefore(from) && !b.getRPeakAt().isAfter(to)).count()));

        WebDriver browser = HeadlessChromium.start(stack, home.resolve("chromium-history"));
        try {
            signIn(browser, "cardio1");
            browser.get(base + "/patient.html?id=p-e2e-history");
            awaitPageDrawn(browser, "/patient.html");
            browser.findElement(By.cssSelector(".ranges button[data-range='7d']")).click();
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#episodes tr[data-kind=ATRIAL_FIBRILLATION] button.strip"))).click();
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#ecg .uplot")));
            fullPageScreenshot(browser, "patient-page-7-days.png");
        } finally {
            browser.quit();
        }
    }

    @Test
    void shouldShowMarkupInStoredTextAsTextAndRunNone() throws Exception {
        // A patient's name and an alert's summary, the stored text a clinician reads, holding markup.
        String name = "<img src=x onerror=\"window.cwRan=1\"><script>window.cwRan=2</script>";
        String summary = "<b onmouseover=\"window.cwRan=3\">heartRateBpm</b> above 130 bpm";
        assertThat(call("admin", "PUT", "/api/admin/patients/p-e2e-xss",
                JSON.writeValueAsString(Map.of("displayName", name))).statusCode(), is(204));
        assertThat(call("admin", "PUT", "/api/admin/care-teams/p-e2e-xss", "{\"treatingPhysician\":\"cardio1\"}")
                .statusCode(), is(204));
        Instant now = Instant.now();
        try (TopicWriter writer = new TopicWriter(stack.brokers().bootstrapServers(), stack.kafkaClientSettings())) {
            writer.write(Topics.ALERTS, "p-e2e-xss", Alert.newBuilder().setAlertId("alert-e2e-xss")
                    .setPatientId("p-e2e-xss").setKind(AlertKind.TACHYCARDIA).setSeverity(AlertSeverity.WARNING)
                    .setState(AlertState.OPEN).setOpenedAt(now).setUpdatedAt(now)
                    .setEvidence(AlertEvidence.newBuilder().setSummary(summary).build()).build());
        }
        WebDriver browser = HeadlessChromium.start(stack, home.resolve("chromium-xss"));
        try {
            signIn(browser, "cardio1");
            WebElement card = new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                    By.xpath("//article[contains(@class,'alert')][contains(., 'window.cwRan=2')]")));
            assertThat("the name is shown as the text it is", card.getText(), org.hamcrest.Matchers.containsString(name));
            assertThat(card.getText(), org.hamcrest.Matchers.containsString(summary));
            new org.openqa.selenium.interactions.Actions(browser).moveToElement(card).perform();
            browser.get(base + "/patient.html?id=p-e2e-xss");
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.id("patient-name"), "window.cwRan=2"));
            assertThat(browser.findElement(By.id("patient-name")).getText(), equalTo(name));
            assertThat("nothing ran", ((JavascriptExecutor) browser).executeScript("return window.cwRan === undefined;"),
                    is(true));
            assertThat("no element was made of the text", ((JavascriptExecutor) browser).executeScript(
                    "return document.querySelectorAll('img[src=x], b[onmouseover], script:not([src])').length;"),
                    is(0L));
        } finally {
            browser.quit();
        }
    }

    @Test
    void shouldRegisterTheServiceWorkerReachThePushApiAndPushAnAlertToTheSubscriptionThePageStores() throws Exception {
        // cardio1's alone: its alert must not reach another physician's dashboard, which other tests watch.
        assertThat(call("admin", "PUT", "/api/admin/patients/p-e2e-push", "{\"displayName\":\"E2E p-e2e-push\"}")
                .statusCode(), is(204));
        assertThat(call("admin", "PUT", "/api/admin/care-teams/p-e2e-push", "{\"treatingPhysician\":\"cardio1\"}")
                .statusCode(), is(204));
        WebDriver browser = HeadlessChromium.start(stack, home.resolve("chromium-push"));
        try {
            signIn(browser, "cardio1");
            JavascriptExecutor page = (JavascriptExecutor) browser;
            new WebDriverWait(browser, WAIT).until(b -> "active".equals(
                    b.findElement(By.id("push-part")).getDomAttribute("data-worker")));
            assertThat("the service worker is registered and active", page.executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + " navigator.serviceWorker.getRegistration('/').then(r => done(r && r.active ? r.active.scriptURL : null));"),
                    equalTo(base + "/sw.js"));

            browser.findElement(By.id("push-subscribe")).click();
            // Notifications are allowed; the browser's push service is out of reach here, so the Push API
            // fails (or never answers): the page says so, rather than claim the device will be told.
            WebElement status = browser.findElement(By.id("push-status"));
            new WebDriverWait(browser, WAIT).until(b -> !status.getText().isEmpty());
            assertThat(status.getText(), org.hamcrest.Matchers.startsWith("This browser could not subscribe: "));

            // What the Push API would have given, with an endpoint at the test's push service, stored by the page.
            String p256dh = P256Keys.newKeyPair().publicKey();
            byte[] auth = new byte[16];
            new java.security.SecureRandom().nextBytes(auth);
            Object saved = page.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + " saveSubscription({endpoint: arguments[0], expirationTime: null, keys: {p256dh: arguments[1], auth: arguments[2]}})"
                    + ".then(device => { listDevices(); done(device.label); }, failure => done('refused: ' + failure.message));",
                    pushService.origin() + "/push/chromium-test", p256dh, Base64.getUrlEncoder().withoutPadding().encodeToString(auth));
            assertThat("labelled from the browser", saved, equalTo("Chrome on Linux"));
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.id("push-devices"), "Chrome on Linux, since"));
            Object refused = page.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + " saveSubscription({endpoint: 'https://192.168.1.10/admin', keys: {p256dh: arguments[0], auth: arguments[1]}})"
                    + ".then(() => done('stored'), failure => done(failure.message));",
                    p256dh, Base64.getUrlEncoder().withoutPadding().encodeToString(auth));
            assertThat("the server's reason reaches the page", String.valueOf(refused),
                    org.hamcrest.Matchers.containsString("not at a push service this hospital allows"));

            Instant now = Instant.now();
            try (TopicWriter writer = new TopicWriter(stack.brokers().bootstrapServers(), stack.kafkaClientSettings())) {
                writer.write(Topics.ALERTS, "p-e2e-push", Alert.newBuilder().setAlertId("alert-e2e-push")
                        .setPatientId("p-e2e-push").setKind(AlertKind.BRADYCARDIA).setSeverity(AlertSeverity.CRITICAL)
                        .setState(AlertState.OPEN).setOpenedAt(now).setUpdatedAt(now)
                        .setEvidence(AlertEvidence.newBuilder().setSummary("heartRateBpm below 40 bpm").build()).build());
            }
            await("the alert pushed to the stored subscription").atMost(WAIT).until(() -> !pushService.received().isEmpty());
            PushEndpoint.Received push = pushService.received().get(0);
            assertThat(push.path(), equalTo("/push/chromium-test"));
            assertThat(push.authorization(), org.hamcrest.Matchers.matchesPattern("vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=[\\w-]{87}"));
            assertThat(push.contentEncoding(), equalTo("aes128gcm"));
            assertThat(push.urgency(), equalTo("high"));
            assertThat(call("cardio1", "POST", "/api/alerts/alert-e2e-push/ack").statusCode(), is(200));

            browser.findElement(By.cssSelector("#push-devices button.remove")).click();
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.id("push-devices"), "No device notified yet."));
            HeadlessChromium.screenshot(browser, SCREENSHOTS.resolve("dashboard-notifications.png"));
        } finally {
            browser.quit();
        }
    }

    @Test
    void shouldSaveATeamsNotificationPolicyAndAClinicansChannelsAndShowTheReasonOfARefusal() throws Exception {
        WebDriver admin = HeadlessChromium.start(stack, home.resolve("chromium-policy"));
        try {
            signIn(admin, "admin", false);
            admin.get(base + "/policy.html");
            new WebDriverWait(admin, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#policy-rules tr[data-priority=CRITICAL] input[name=notify]")));
            WebElement team = admin.findElement(By.id("policy-team"));
            team.clear();
            team.sendKeys("ward-e2e");
            WebElement critical = admin.findElement(By.cssSelector("#policy-rules tr[data-priority=CRITICAL]"));
            WebElement status = admin.findElement(By.id("policy-status"));
            // The page shows the policy in force (the built-in one); no rule for critical alerts is refused, with the reason.
            WebElement warning = admin.findElement(By.cssSelector("#policy-rules tr[data-priority=WARNING]"));
            check(critical.findElement(By.cssSelector("input[name=notify]")), false);
            check(warning.findElement(By.cssSelector("input[name=notify]")), true);
            check(warning.findElement(By.cssSelector("input[value=WEBHOOK]")), false);
            check(warning.findElement(By.cssSelector("input[value=EMAIL]")), true);
            check(warning.findElement(By.cssSelector("input[value=WEB_PUSH]")), false);
            admin.findElement(By.cssSelector("#policy-form button[type=submit]")).click();
            new WebDriverWait(admin, WAIT).until(ExpectedConditions.textToBePresentInElement(status, "Not saved: "));
            assertThat(status.getText(), equalTo("Not saved: rules must have one for CRITICAL: a critical alert must reach"
                    + " someone outside the dashboard"));

            check(critical.findElement(By.cssSelector("input[name=notify]")), true);
            check(critical.findElement(By.cssSelector("input[value=WEBHOOK]")), true);
            check(critical.findElement(By.cssSelector("input[value=EMAIL]")), false);
            check(critical.findElement(By.cssSelector("input[value=WEB_PUSH]")), true);
            critical.findElement(By.cssSelector("input[name=repeat]")).sendKeys("10");
            check(admin.findElement(By.id("quiet-on")), true);
            admin.findElement(By.id("on-call-after")).sendKeys("15");
            admin.findElement(By.id("add-shift")).click();
            WebElement shift = admin.findElement(By.cssSelector("#roster tr"));
            shift.findElement(By.cssSelector("input[name=clinician]")).sendKeys("cardio2");
            ((JavascriptExecutor) admin).executeScript("arguments[0].value = '2026-12-06T20:00'; arguments[1].value = '2026-12-07T08:00';",
                    shift.findElement(By.cssSelector("input[name=from]")), shift.findElement(By.cssSelector("input[name=to]")));
            admin.findElement(By.cssSelector("#policy-form button[type=submit]")).click();
            new WebDriverWait(admin, WAIT).until(ExpectedConditions.textToBe(By.id("policy-status"),
                    "Saved the policy of ward-e2e."));
            JsonNode saved = null;
            for (JsonNode policy : JSON.readTree(call("admin", "GET", "/api/admin/notification-policies").body())) {
                saved = policy.get("team").asText().equals("ward-e2e") ? policy : saved;
            }
            assertThat("stored as the page showed it", saved == null ? null : saved.get("rules").toString(), equalTo(
                    "[{\"priority\":\"CRITICAL\",\"channels\":[\"WEBHOOK\",\"WEB_PUSH\"],\"repeatEveryMinutes\":10},"
                            + "{\"priority\":\"WARNING\",\"channels\":[\"EMAIL\"],\"repeatEveryMinutes\":null}]"));
            assertThat(saved.get("quietHours").get("from").asText(), equalTo("22:00"));
            assertThat(saved.get("onCallAfterMinutes").asInt(), is(15));
            assertThat(saved.get("onCall").get(0).get("clinician").asText(), equalTo("cardio2"));
            fullPageScreenshot(admin, "notification-policy.png");
        } finally {
            admin.quit();
        }

        WebDriver clinician = HeadlessChromium.start(stack, home.resolve("chromium-channels"));
        try {
            signIn(clinician, "cardio2");
            WebElement email = new WebDriverWait(clinician, WAIT).until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("#channel-choice input[value=EMAIL]")));
            new WebDriverWait(clinician, WAIT).until(page -> email.isSelected()); // both, until chosen otherwise
            email.click();
            clinician.findElement(By.cssSelector("#channel-choice input[value=WEB_PUSH]")).click();
            clinician.findElement(By.id("channels-save")).click();
            new WebDriverWait(clinician, WAIT).until(ExpectedConditions.textToBe(By.id("channels-status"),
                    "Not saved: channels: choose at least one of EMAIL, WEB_PUSH (alerts must reach you somewhere)"));
            email.click();
            clinician.findElement(By.id("channels-save")).click();
            new WebDriverWait(clinician, WAIT).until(ExpectedConditions.textToBe(By.id("channels-status"), "Saved."));
            assertThat(JSON.readTree(call("cardio2", "GET", "/api/notifications/channels").body()).get("channels").toString(),
                    equalTo("[\"EMAIL\"]"));
        } finally {
            call("cardio2", "PUT", "/api/notifications/channels", "{\"channels\":[\"EMAIL\",\"WEB_PUSH\"]}");
            clinician.quit();
        }
    }

    /** Waits until the element no longer says Loading…; the page may redraw it meanwhile (a live list). */
    private static void awaitLoaded(WebDriver browser, String elementId) {
        new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
                .until(page -> !page.findElement(By.id(elementId)).getText().contains("Loading…"));
    }

    /** The whole page, not only the window, for the docs. */
    private static void fullPageScreenshot(WebDriver browser, String name) {
        Object height = ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight;");
        Dimension window = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(window.getWidth(), Math.min(4000, ((Number) height).intValue() + 40)));
        HeadlessChromium.screenshot(browser, SCREENSHOTS.resolve(name));
        browser.manage().window().setSize(window);
    }

    private static void signIn(WebDriver browser, String user) {
        signIn(browser, user, true);
    }

    private static void check(WebElement box, boolean on) {
        if (box.isSelected() != on) {
            box.click();
        }
    }

    /** @param dashboard whether to wait for the dashboard's live alerts (a clinician's landing page) */
    private static void signIn(WebDriver browser, String user, boolean dashboard) {
        browser.get(base + "/login.html");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        if (dashboard) {
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("live"), "live"));
        } else {
            new WebDriverWait(browser, WAIT).until(page -> !page.getCurrentUrl().contains("login"));
        }
    }

    /** What the admin API issued: the payload key and the device's certificate (PKCS12 in a file). */
    private record Enrolled(String deviceId, byte[] key, Path keyStore, String keyStorePassword) {
        SealedDevicePublisher connect() {
            return new SealedDevicePublisher(stack.mqttServerUris().get(0), deviceId, key, 1,
                    TlsClientSockets.withClientCertificate(stack.brokers().trustStore(),
                            stack.brokers().trustStorePassword(), keyStore, keyStorePassword.toCharArray()));
        }
    }

    /** Enrols the way an operator does, with the ./cardiowatch enrol command's code. */
    private static Enrolled enrolWithTheCommand(String patientId, String deviceId) throws Exception {
        preparePatient(patientId);
        EnrolDevice.Enrolment files = EnrolDevice.enrol(URI.create(base), stack.dashboardTls(), "admin", PASSWORD.toCharArray(), deviceId,
                patientId, null, home.resolve("enrolled"));
        awaitEnrolmentSeen(patientId, deviceId);
        return new Enrolled(deviceId, Base64.getDecoder().decode(Files.readString(files.payloadKey())),
                files.keyStore(), Files.readString(files.keyStorePassword()));
    }

    private static void preparePatient(String patientId) throws IOException, InterruptedException {
        assertThat(call("admin", "PUT", "/api/admin/patients/" + patientId, "{\"displayName\":\"E2E " + patientId + "\"}")
                .statusCode(), is(204));
        assertThat(call("admin", "PUT", "/api/admin/care-teams/" + patientId,
                "{\"treatingPhysician\":\"cardio1\",\"backupPhysician\":\"cardio2\"}").statusCode(), is(204));
        assertThat(call("admin", "PUT", "/api/admin/consents/" + patientId, "{\"status\":\"ACTIVE\"}").statusCode(),
                is(204));
    }

    private static void awaitEnrolmentSeen(String patientId, String deviceId) throws InterruptedException {
        // The ingest (the broker) reads the device registry from Kafka; give it a moment to see the new device.
        await().atMost(WAIT).until(() -> call("cardio1", "GET", "/api/patients/" + patientId).statusCode() == 200
                && stack.enrolledDevice(deviceId).isPresent());
        Thread.sleep(2000);
    }

    private static Enrolled enrol(String patientId, String deviceId) throws IOException, InterruptedException {
        preparePatient(patientId);
        HttpResponse<String> device = call("admin", "POST", "/api/admin/devices",
                "{\"deviceId\":\"" + deviceId + "\",\"patientId\":\"" + patientId + "\"}");
        assertThat("enrolling the device: " + device.body(), device.statusCode(), is(200));
        awaitEnrolmentSeen(patientId, deviceId);
        var answer = JSON.readTree(device.body());
        assertThat("enrolment issues the device's client certificate", answer.get("clientKeyStore").isTextual(), is(true));
        Path keyStore = home.resolve(deviceId + ".p12");
        Files.write(keyStore, Base64.getDecoder().decode(answer.get("clientKeyStore").asText()));
        return new Enrolled(deviceId, Base64.getDecoder().decode(answer.get("payloadKey").asText()), keyStore,
                answer.get("clientKeyStorePassword").asText());
    }

    private static DeviceVitals heartRate(Instant at, float bpm) {
        return DeviceVitals.newBuilder().setMeasuredAt(at).setHeartRateBpm(bpm).setSpo2Percent(97f).build();
    }

    private static String alertIdOf(String message) throws IOException {
        return JSON.readTree(message).get("alert").get("id").asText();
    }

    private static HttpResponse<String> call(String user, String method, String path) throws IOException, InterruptedException {
        return call(user, method, path, null);
    }

    private static HttpResponse<String> call(String user, String method, String path, String body)
            throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Basic " + credentials)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
