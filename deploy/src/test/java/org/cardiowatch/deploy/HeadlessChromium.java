package org.cardiowatch.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (no browser download): the
 * flags keep it from reaching for Google's services, which this machine's network refuses.
 */
final class HeadlessChromium {

    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /**
     * A browser for the stack's dashboard: it accepts the dashboard's certificate, issued by the
     * stack's own authority, by its public key (a pin; {@code --ignore-certificate-errors-spki-list}),
     * and no other certificate it cannot check: the pages are really fetched over HTTPS.
     */
    static WebDriver start(LocalStack stack, Path profile) {
        return start(profile, stack.dashboardKeyPin());
    }

    /** A browser that accepts the certificates with these public keys (pins) besides the ones it can check. */
    static WebDriver start(Path profile, String... pins) {
        return startInLanguage(profile, "en-GB", pins);
    }

    /** A browser whose user's language is {@code language} (a BCP 47 tag, for example fr-FR). */
    static WebDriver startInLanguage(Path profile, String language, String... pins) {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("The browser tests need Debian's Chromium: apt-get install chromium chromium-driver");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--lang=" + language, "--accept-lang=" + language, "--window-size=1280,900",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--ignore-certificate-errors-spki-list=" + String.join(",", pins));
        // Notifications allowed, as a clinician who chose "Notify me on this device" would allow them.
        options.setExperimentalOption("prefs", java.util.Map.of("profile.default_content_setting_values.notifications", 1));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        return driver;
    }

    /** Saves what the browser shows, for the reader of a failed test and for the docs. */
    static Path screenshot(WebDriver driver, Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
