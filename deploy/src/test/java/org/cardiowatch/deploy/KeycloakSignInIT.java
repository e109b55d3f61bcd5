package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.cardiowatch.embedded.EmbeddedKeycloak;
import org.cardiowatch.embedded.FreePorts;
import org.cardiowatch.embedded.LocalBrokers;
import org.cardiowatch.schemas.transport.HttpsTrust;
import org.cardiowatch.schemas.transport.LocalCertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Signing in through a real identity provider: Keycloak from its distribution, with the realm kept
 * in {@code deploy/keycloak/cardiowatch-realm.json} (plus this test's accounts), in front of the
 * whole local stack with OpenID Connect turned on as a hospital would. Chromium goes through the
 * authorization-code flow; the role comes from the token, the care team's patients follow the
 * token's user name, signing out ends the provider's session too, and an admin must give a
 * one-time code (TOTP) after the password.
 */
class KeycloakSignInIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REALM = "cardiowatch";
    private static final String PASSWORD = "keycloak-test-password";
    /** The admin's TOTP secret as Keycloak keeps it (its bytes are the HMAC key). */
    private static final String ADMIN_TOTP_SECRET = "cardiowatch-admin-totp-secret";

    @TempDir
    static Path home;
    static EmbeddedKeycloak keycloak;
    static LocalStack stack;
    static String base;
    static String keycloakPin;

    @BeforeAll
    static void startKeycloakThenTheStack() throws Exception {
        int dashboardPort = FreePorts.next();
        base = "https://127.0.0.1:" + dashboardPort;
        String clientSecret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        // Keycloak's certificate from the authority the stack will use: the alerts service trusts it by the PEM file.
        LocalCertificateAuthority authority = LocalBrokers.certificateAuthority(home);
        Path realm = testRealm(home.resolve("realm").resolve(REALM + "-realm.json"));
        keycloak = EmbeddedKeycloak.start(Path.of(System.getProperty("cw.keycloak.home")),
                authority.serverKeyStore("keycloak"), authority.password(), List.of(realm), REALM,
                Map.of("CW_OIDC_CLIENT_SECRET", clientSecret, "CW_DASHBOARD_URL", base),
                HttpsTrust.trusting(authority.certificatePem()), home.resolve("logs/keycloak.log"));
        keycloakPin = authority.serverKeyPin("keycloak");
        stack = LocalStack.start(new LocalStack.Settings(LocalStackMain.repository(), home, 0, 0, dashboardPort,
                FreePorts.next(), FreePorts.next(), "local-password-unused".toCharArray(), false, Map.of(
                        "QUARKUS_OIDC_TENANT_ENABLED", "true",
                        "QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realmUrl(REALM),
                        "QUARKUS_OIDC_CLIENT_ID", "cardiowatch",
                        "QUARKUS_OIDC_CREDENTIALS_SECRET", clientSecret,
                        "QUARKUS_OIDC_ROLES_ROLE_CLAIM_PATH", "realm_access/roles",
                        // Keycloak's certificate is from the local authority, not one of the JDK's.
                        "QUARKUS_OIDC_TLS_TLS_CONFIGURATION_NAME", "oidc",
                        "QUARKUS_TLS__OIDC__TRUST_STORE_PEM_CERTS", authority.certificatePem().toString())));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    void shouldSignAPhysicianInThroughTheProviderWithTheRoleAndPatientsTheTokenGives() throws Exception {
        WebDriver browser = HeadlessChromium.start(home.resolve("chromium-cardio1"), stack.dashboardKeyPin(),
                keycloakPin);
        try {
            browser.get(base + "/");
            assertThat("sent to the identity provider", browser.getCurrentUrl(), startsWith(keycloak.realmUrl(REALM)));
            signInOnTheProvidersPage(browser, "cardio1");

            new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains(base));
            JsonNode me = json(browser, "/api/me");
            assertThat(me.get("username").asText() + " " + me.get("role").asText(), is("cardio1 physician"));
            String patients = text(browser, "/api/patients");
            assertThat("the care team's patients of the token's user", patients, containsString("p-1001"));
            assertThat("not another physician's", patients, not(containsString("p-2001")));
            assertThat("nor the auditors' trail", status(browser, "/api/audit"), is(403L));

            browser.get(base + "/");
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.sign-out")))
                    .click();
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
            assertThat("signing out ends the provider's session too: it asks for the password again",
                    browser.getCurrentUrl(), startsWith(keycloak.realmUrl(REALM)));
            assertThat("and the dashboard's", text(browser, "/api/me"), containsString("sign in required"));
        } finally {
            browser.quit();
        }
    }

    @Test
    void shouldAskAnAdminForTheOneTimeCodeAfterThePassword() throws Exception {
        WebDriver browser = HeadlessChromium.start(home.resolve("chromium-admin"), stack.dashboardKeyPin(), keycloakPin);
        try {
            browser.get(base + "/");
            signInOnTheProvidersPage(browser, "admin");

            new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("otp")));
            assertThat("the password alone does not sign an admin in", browser.getCurrentUrl(),
                    startsWith(keycloak.realmUrl(REALM)));
            browser.findElement(By.id("otp")).sendKeys("000000".equals(Totp.now(ADMIN_TOTP_SECRET)) ? "111111" : "000000");
            browser.findElement(By.id("kc-login")).click();
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("otp")));
            assertThat("a wrong code is refused", browser.getCurrentUrl(), startsWith(keycloak.realmUrl(REALM)));

            browser.findElement(By.id("otp")).sendKeys(Totp.now(ADMIN_TOTP_SECRET));
            browser.findElement(By.id("kc-login")).click();
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains(base));
            JsonNode me = json(browser, "/api/me");
            assertThat(me.get("username").asText() + " " + me.get("role").asText(), is("admin admin"));
        } finally {
            browser.quit();
        }
    }

    private static void signInOnTheProvidersPage(WebDriver browser, String user) {
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("kc-login")).click();
    }

    /** What the browser shows at {@code path} of the dashboard's service, as text (JSON answers). */
    private static String text(WebDriver browser, String path) {
        browser.get(base + path);
        return browser.findElement(By.tagName("body")).getText();
    }

    /** The status of a request the signed-in page makes itself (its cookies, its origin). */
    private static long status(WebDriver browser, String path) {
        return (Long) ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => done(r.status));", path);
    }

    private static JsonNode json(WebDriver browser, String path) throws Exception {
        return JSON.readTree(text(browser, path));
    }

    /**
     * The realm kept in deploy/keycloak, with this test's accounts: two physicians and an admin
     * whose second factor is already set up with a secret the test knows.
     */
    private static Path testRealm(Path file) throws Exception {
        ObjectNode realm = (ObjectNode) JSON.readTree(LocalStackMain.repository()
                .resolve("deploy/keycloak/cardiowatch-realm.json").toFile());
        ArrayNode users = realm.putArray("users");
        users.add(user("cardio1", "physician"));
        users.add(user("cardio2", "physician"));
        ObjectNode admin = user("admin", "admin");
        ((ArrayNode) admin.get("credentials")).addObject()
                .put("type", "otp")
                .put("userLabel", "test authenticator")
                .put("secretData", JSON.writeValueAsString(Map.of("value", ADMIN_TOTP_SECRET)))
                .put("credentialData", JSON.writeValueAsString(Map.of("subType", "totp", "digits", 6, "counter", 0,
                        "period", 30, "algorithm", "HmacSHA1")));
        users.add(admin);
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writeValueAsString(realm), StandardCharsets.UTF_8);
        return file;
    }

    private static ObjectNode user(String username, String role) {
        ObjectNode user = JSON.createObjectNode().put("username", username).put("enabled", true)
                .put("email", username + "@hospital.example").put("emailVerified", true)
                .put("firstName", username).put("lastName", "Test");
        user.putArray("realmRoles").add(role);
        user.putArray("credentials").addObject().put("type", "password").put("value", PASSWORD).put("temporary", false);
        return user;
    }
}
