package org.cardiowatch.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadBenchmarkOptionsTest {

    @Test
    void shouldRunTheShortModeByDefaultAndTakeTheFlags() {
        LoadBenchmark.Options defaults = LoadBenchmark.Options.parse(new String[0]);
        LoadBenchmark.Options long10 = LoadBenchmark.Options.parse(new String[] {"long", "--devices", "50", "--rate", "9000"});

        assertThat(defaults.duration(), is(Duration.ofSeconds(60)));
        assertThat(long10.duration(), is(Duration.ofMinutes(10)));
        assertThat(long10.devices(), is(50));
        assertThat(long10.rate(), is(9000));
    }

    @Test
    void shouldOfferAThousandDevicesATenthOfThemEcgPatchesWhoseSegmentsTakeTheirShareOfTheRate() {
        LoadBenchmark.Options defaults = LoadBenchmark.Options.parse(new String[0]);
        LoadBenchmark.Options noPatches = LoadBenchmark.Options.parse(new String[] {"--ecg-share", "0"});

        assertThat(defaults.devices(), is(1000));
        assertThat(defaults.patches(), is(100));
        assertThat(defaults.wearables(), is(900));
        assertThat("one segment a second per patch, the rest for the wearables", defaults.wearableRate(), is(4900));
        assertThat(noPatches.patches(), is(0));
        assertThat(noPatches.wearableRate(), is(5000));
    }

    @Test
    void shouldRefuseAMixThePatchesAloneWouldExceedOrAShareOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> LoadBenchmark.Options.parse(
                new String[] {"--devices", "1000", "--rate", "100", "--ecg-share", "0.5"}));
        assertThrows(IllegalArgumentException.class, () -> LoadBenchmark.Options.parse(new String[] {"--ecg-share", "1"}));
        assertThrows(IllegalArgumentException.class, () -> LoadBenchmark.Options.parse(new String[] {"--ecg-share", "-0.1"}));
        assertThrows(IllegalArgumentException.class, () -> LoadBenchmark.Options.parse(new String[] {"--devices", "0"}));
    }

    @Test
    void shouldRunTheBrokerAloneForAsLongAsAskedInRawMode() {
        LoadBenchmark.Options raw = LoadBenchmark.Options.parse(new String[] {"raw", "--seconds", "30"});

        assertThat(raw.brokerOnly(), is(true));
        assertThat(raw.raw(), is(Duration.ofSeconds(30)));
        assertThat(LoadBenchmark.Options.parse(new String[] {"short"}).brokerOnly(), is(false));
    }

    @Test
    void shouldSpreadTheDevicesOverABrokerSetOnlyWhenThePipelineRuns() {
        assertThat(LoadBenchmark.Options.parse(new String[0]).mqttBrokers(), is(1));
        assertThat(LoadBenchmark.Options.parse(new String[] {"short", "--mqtt-brokers", "2"}).mqttBrokers(), is(2));
        assertThrows(IllegalArgumentException.class, () -> LoadBenchmark.Options.parse(new String[] {"raw", "--mqtt-brokers", "2"}));
        assertThrows(IllegalArgumentException.class, () -> LoadBenchmark.Options.parse(new String[] {"--mqtt-brokers", "0"}));
    }

    @Test
    void shouldRunTheIngestAloneForThirtySecondsOnOneBroker() {
        assertThat(LoadBenchmark.Options.parse(new String[] {"ingest"}).duration(), is(Duration.ofSeconds(30)));
        assertThrows(IllegalArgumentException.class, () -> LoadBenchmark.Options.parse(new String[] {"ingest", "--mqtt-brokers", "2"}));
    }

    @Test
    void shouldSoakForThirtyMinutesSamplingEveryFiveAndSampleInNoOtherMode() {
        LoadBenchmark.Options soak = LoadBenchmark.Options.parse(new String[] {"soak"});

        assertThat(soak.duration(), is(Duration.ofMinutes(30)));
        assertThat(soak.soakSampleEvery(), is(Duration.ofMinutes(5)));
        assertThat(soak.rate(), is(5000));
        assertThat(LoadBenchmark.Options.parse(new String[] {"soak", "--seconds", "120"}).soakSampleEvery(),
                is(Duration.ofMinutes(1)));
        assertThat(LoadBenchmark.Options.parse(new String[] {"long"}).soakSampleEvery(), is(Duration.ZERO));
    }

    @Test
    void shouldRefuseAnUnknownModeOrFlag() {
        assertThrows(IllegalArgumentException.class, () -> LoadBenchmark.Options.parse(new String[] {"medium"}));
        assertThrows(IllegalArgumentException.class, () -> LoadBenchmark.Options.parse(new String[] {"--threads", "4"}));
        assertThrows(IllegalArgumentException.class, () -> LoadBenchmark.Options.parse(new String[] {"--ingest", "bridge"}));
        assertThrows(IllegalArgumentException.class, () -> LoadBenchmark.Options.parse(new String[] {"--rate"}));
    }

    @Test
    void shouldReadThisProcesssCpuTimeAndMemory() {
        ProcessStats stats = ProcessStats.of(ProcessHandle.current().pid());

        assertThat(stats.cpuTicks(), greaterThan(0L));
        assertThat(stats.residentKb(), greaterThan(1024L));
    }
}
