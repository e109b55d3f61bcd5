package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ./cardiowatch launcher: every command has its --help, and a wrong command or argument gets the
 * usage and exit status 2, before anything is built.
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("..", "cardiowatch").toAbsolutePath().normalize();
    private static final List<String> COMMANDS = List.of("local", "enrol", "manifests", "evaluate", "bench", "outage",
            "faults", "fuzz", "verify-audit", "vapid-keys");

    private record Run(int status, String out, String err) {
    }

    @Test
    void shouldListEveryCommandAndDescribeEachOnItsHelp() throws Exception {
        Run help = run("help");
        assertThat(help.status(), is(0));
        for (String command : COMMANDS) {
            assertThat(help.out(), containsString("  " + command + " "));
            Run commandHelp = run(command, "--help");
            assertThat(command + " --help", commandHelp.status(), is(0));
            assertThat(commandHelp.out(), containsString("Usage: ./cardiowatch " + command));
        }
    }

    @Test
    void shouldBeDocumentedWordForWordInDocsCommands() throws Exception {
        String page = Files.readString(LAUNCHER.resolveSibling("docs").resolve("commands.md"));
        assertThat("docs/commands.md holds ./cardiowatch help", page, containsString(run("help").out()));
        for (String command : COMMANDS) {
            assertThat("docs/commands.md holds " + command + " --help: regenerate it from the launcher", page,
                    containsString(run(command, "--help").out()));
        }
    }

    @Test
    void shouldRefuseAWrongCommandOrArgumentWithItsUsageAndStatus2() throws Exception {
        List<List<String>> wrong = List.of(List.of(), List.of("start"), List.of("local", "--now"), List.of("enrol"),
                List.of("evaluate"), List.of("evaluate", "/no/such/folder"), List.of("bench"), List.of("bench", "mqtt"),
                List.of("fuzz", "ten minutes"), List.of("fuzz", "1h", "2h"), List.of("manifests", "."),
                List.of("outage", "now"), List.of("faults", "--load-devices"), List.of("faults", "--load-rate", "fast"),
                List.of("faults", "--load-rate", "50"), List.of("faults", "--seconds", "10"), List.of("faults", "--devices", "5"), List.of("verify-audit", "a:9092", "b:9092"),
                List.of("vapid-keys", "now"));
        for (List<String> arguments : wrong) {
            Run refused = run(arguments.toArray(String[]::new));
            assertThat(arguments + " exits with 2", refused.status(), is(2));
            assertThat(arguments + " says what was wrong", refused.err(), containsString("cardiowatch: "));
            assertThat(arguments + " prints the usage", refused.err(), containsString("Usage: ./cardiowatch"));
        }
    }

    private static Run run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end");
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
