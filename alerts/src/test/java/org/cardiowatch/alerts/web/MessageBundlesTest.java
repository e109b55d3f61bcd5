package org.cardiowatch.alerts.web;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertSeverity;
import org.junit.jupiter.api.Test;

/**
 * The pages' message bundles (i18n/en.json, i18n/fr.json): every text a page or script asks for is in
 * both languages, with the same placeholders, and every alert kind, severity and patient status has its label.
 */
class MessageBundlesTest {

    private static final Path PAGES = Path.of("src/main/resources/META-INF/resources");
    private static final List<String> LANGUAGES = List.of("en", "fr");
    /** A key as scripts write it: a quoted name in one of the bundles' sections. */
    private static final Pattern SCRIPT_KEY = Pattern.compile(
            "'((?:alert|alertPage|dashboard|review|patient|login|live|header|nav|title|duration|unit|kind|severity|status)"
                    + "\\.[A-Za-z0-9_.-]+|loading)'");
    private static final Pattern PAGE_KEY = Pattern.compile("data-i18n(?:-label)?=\"([^\"]+)\"");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d+}");

    @Test
    void shouldHaveTheSameKeysAndPlaceholdersInEveryLanguage() throws IOException {
        Map<String, String> english = bundle("en");
        for (String language : LANGUAGES) {
            Map<String, String> bundle = bundle(language);
            assertThat(language + " has the keys of en", new TreeSet<>(bundle.keySet()),
                    equalTo(new TreeSet<>(english.keySet())));
            for (Map.Entry<String, String> entry : bundle.entrySet()) {
                assertThat(language + " " + entry.getKey() + " is empty", entry.getValue().isBlank(), equalTo(false));
                assertThat(language + " " + entry.getKey() + " has the placeholders of en", placeholders(entry.getValue()),
                        equalTo(placeholders(english.get(entry.getKey()))));
            }
        }
    }

    @Test
    void shouldHoldEveryTextThePagesAndScriptsAskFor() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(PAGES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".js") || f.toString().endsWith(".html")).toList()) {
                Pattern pattern = file.toString().endsWith(".js") ? SCRIPT_KEY : PAGE_KEY;
                Matcher matcher = pattern.matcher(Files.readString(file));
                while (matcher.find()) {
                    used.add(matcher.group(1));
                }
            }
        }
        Arrays.stream(AlertKind.values()).forEach(kind -> used.add("kind." + kind.name()));
        Arrays.stream(AlertSeverity.values()).forEach(severity -> used.add("severity." + severity.name()));
        // PatientView's statuses, and the measures common.js gives a worst value in.
        List.of("critical", "warning", "no-signal", "stable").forEach(status -> used.add("status." + status));
        List.of("heartRateBpm", "spo2Percent", "systolicMmHg", "rrMillis", "ventricularRunBeats", "alternatingBeats",
                "pvcBurdenPercent").forEach(measure -> used.add("unit." + measure));
        assertThat("the pages ask for texts", used, not(empty()));
        for (String language : LANGUAGES) {
            Set<String> missing = new TreeSet<>(used);
            missing.removeAll(bundle(language).keySet());
            // Prefixes that scripts complete at run time are not keys themselves.
            missing.removeIf(key -> key.endsWith("."));
            assertThat("keys missing from i18n/" + language + ".json", missing, empty());
        }
    }

    private static Map<String, String> bundle(String language) throws IOException {
        return new ObjectMapper().readValue(PAGES.resolve("i18n/" + language + ".json").toFile(),
                new TypeReference<Map<String, String>>() { });
    }

    private static Set<String> placeholders(String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }
}
