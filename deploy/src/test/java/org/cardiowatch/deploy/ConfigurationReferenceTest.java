package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.deploy.ServiceSettings.Setting;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is written by hand; this test holds it to the code: every setting of every
 * service (its configuration mapping's properties, and the environment variables its
 * application.properties reads) has a row naming its environment variable (or its property, for a
 * map) and its default.
 */
class ConfigurationReferenceTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void shouldDocumentEverySettingOfEveryServiceWithItsDefault() throws Exception {
        List<Setting> settings = new ArrayList<>();
        settings.addAll(ServiceSettings.of("ingest-mqtt", Class.forName("org.cardiowatch.ingest.config.IngestConfig"),
                ROOT.resolve("ingest-mqtt")));
        settings.addAll(ServiceSettings.of("stream-processor",
                Class.forName("org.cardiowatch.processor.config.ProcessorConfig"), ROOT.resolve("stream-processor")));
        settings.addAll(ServiceSettings.of("alerts", Class.forName("org.cardiowatch.alerts.config.AlertsConfig"),
                ROOT.resolve("alerts")));
        assertThat("settings read from the code", settings.size(), greaterThan(60));

        List<String> rows = Files.readAllLines(ROOT.resolve("docs/configuration.md")).stream()
                .filter(line -> line.startsWith("|")).toList();
        List<String> missing = new ArrayList<>();
        for (Setting setting : settings) {
            String name = setting.environmentVariable() != null ? setting.environmentVariable() : setting.property();
            boolean documented = rows.stream().anyMatch(row -> row.startsWith("| " + setting.service() + " ")
                    && row.contains("`" + name + "`")
                    && (setting.defaultValue() == null || row.contains("`" + setting.defaultValue() + "`")));
            if (!documented) {
                missing.add("| " + setting.service() + " | `" + name + "` | "
                        + (setting.defaultValue() == null ? "none" : "`" + setting.defaultValue() + "`") + " | "
                        + setting.property() + " |");
            }
        }
        assertThat("rows docs/configuration.md lacks (service, environment variable, default):\n"
                + String.join("\n", missing) + "\n", missing, empty());
    }
}
