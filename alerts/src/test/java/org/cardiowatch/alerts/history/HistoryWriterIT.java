package org.cardiowatch.alerts.history;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cardiowatch.embedded.EmbeddedInfluxDb;
import org.cardiowatch.embedded.EmbeddedKafka;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.avro.VitalsMinute;
import org.cardiowatch.schemas.topics.TopicWriter;
import org.cardiowatch.schemas.topics.Topics;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history writer between a real Kafka broker and a real InfluxDB server, through an outage of InfluxDB. */
class HistoryWriterIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant START = Instant.parse("2026-11-26T08:00:00Z");
    private static final java.util.function.Predicate<String> NOBODY_ERASED = patientId -> false;

    @TempDir
    static Path folder;
    static EmbeddedKafka kafka;
    static EmbeddedInfluxDb influx;
    static TopicWriter writer;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(folder.resolve("kafka"), 0).createTopics(3);
        influx = EmbeddedInfluxDb.start(folder.resolve("influx"));
        writer = new TopicWriter(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        writer.close();
        influx.close();
        kafka.close();
    }

    @Test
    void shouldWriteEveryReadingOnceThroughAnOutageOfTheStore() {
        try (InfluxHistoryStore store = new InfluxHistoryStore(influx.url(), "cw_test", "30d", "400d");
                HistoryWriter history = new HistoryWriter(kafka.bootstrapServers(), Map.of(), "history-outage", store,
                        Duration.ofMillis(500), NOBODY_ERASED).start()) {
            publishReadings(0, 300);
            writer.write(Topics.VITALS_1M, "p-h1", VitalsMinute.newBuilder().setPatientId("p-h1").setMinuteStart(START)
                    .setReadings(60).setHeartRateMin(61.0).setHeartRateMean(70.5).setHeartRateMax(88.0).build());
            await("the first readings are in InfluxDB").atMost(WAIT).until(() -> rawCount(store) == 300);
            assertThat("the minute aggregate is in its own retention policy",
                    value(store.query("SELECT heart_rate_mean FROM \"minutes\".vitals_1m WHERE patient = 'p-h1'"), 1),
                    is(70.5));

            influx.stop();
            publishReadings(300, 300);
            await("the writer notices the outage").atMost(WAIT).until(() -> history.failedBatches() > 0);
            influx.start();

            await("after the outage every reading is there").atMost(WAIT).until(() -> rawCount(store) == 600);
            System.out.printf("HISTORY outage: readings=600 stored=%d failed-batches=%d%n", rawCount(store),
                    history.failedBatches());
            assertThat("the writer went back to Kafka rather than dropping the batch", history.failedBatches(),
                    greaterThan(0L));
        }
    }

    @Test
    void shouldStartWhileTheStoreIsDownAndCatchUpWhenItComes() {
        for (int i = 0; i < 20; i++) {
            writer.write(Topics.VITALS, "p-h6", VitalSigns.newBuilder().setPatientId("p-h6").setDeviceId("dev-p-h6")
                    .setSequence(i + 1).setMeasuredAt(START.plusSeconds(i)).setReceivedAt(START.plusSeconds(i))
                    .setHeartRateBpm(70f).build());
        }
        influx.stop();
        try (InfluxHistoryStore store = new InfluxHistoryStore(influx.url(), "cw_late", "30d", "400d");
                HistoryWriter history = new HistoryWriter(kafka.bootstrapServers(), Map.of(), "history-late", store,
                        Duration.ofMillis(500), NOBODY_ERASED).start()) {
            await("the writer runs and retries while the store is away").atMost(WAIT)
                    .until(() -> history.failedBatches() > 0 && !history.isStoreUp());
            influx.start();
            await("the history catches up").atMost(WAIT).until(() ->
                    count(store, "SELECT count(heart_rate) FROM vitals WHERE patient = 'p-h6'") == 20);
        } finally {
            influx.start();
        }
    }

    @Test
    void shouldKeepEachPatientsSeriesApartAndAnErasedPatientOut() {
        java.util.Set<String> erased = java.util.concurrent.ConcurrentHashMap.newKeySet();
        publishSeries(0, 50);
        try (InfluxHistoryStore store = new InfluxHistoryStore(influx.url(), "cw_series", "30d", "400d");
                HistoryWriter history = new HistoryWriter(kafka.bootstrapServers(), Map.of(), "history-series", store,
                        Duration.ofMillis(500), erased::contains).start()) {
            await().atMost(WAIT).until(() -> count(store, "SELECT count(heart_rate) FROM vitals WHERE patient = 'p-h4'") == 50);
            QueryResult stats = store.query("SELECT min(heart_rate), max(heart_rate) FROM vitals WHERE patient = 'p-h3'");
            assertThat(value(stats, 1), is(50.0));
            assertThat(value(stats, 2), is(99.0));

            erased.add("p-h3");
            store.erasePatient("p-h3");
            assertThat("an erased patient has no points left",
                    count(store, "SELECT count(heart_rate) FROM vitals WHERE patient = 'p-h3'"), is(0L));
            assertThat("and the others keep theirs",
                    count(store, "SELECT count(heart_rate) FROM vitals WHERE patient = 'p-h4'"), is(50L));

            // Readings of the erased patient still in cw.vitals (sent before the erasure, read after it).
            publishSeries(50, 10);
            await().atMost(WAIT).until(() -> count(store, "SELECT count(heart_rate) FROM vitals WHERE patient = 'p-h4'") == 60);
            assertThat("what was still in the topic never comes back",
                    count(store, "SELECT count(heart_rate) FROM vitals WHERE patient = 'p-h3'"), is(0L));
        }
    }

    @Test
    void shouldGiveATrendWithItsMinMaxBandFromTheMinuteAggregates() {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        for (int minute = 1; minute <= 120; minute++) {
            writer.write(Topics.VITALS_1M, "p-h5", VitalsMinute.newBuilder().setPatientId("p-h5")
                    .setMinuteStart(now.minusSeconds(60L * minute)).setReadings(60)
                    .setHeartRateMin(60.0 + minute % 10).setHeartRateMean(70.0).setHeartRateMax(80.0 + minute % 10)
                    .setSpo2Mean(97.0).build());
        }
        try (InfluxHistoryStore store = new InfluxHistoryStore(influx.url(), "cw_trend", "30d", "400d");
                HistoryWriter history = new HistoryWriter(kafka.bootstrapServers(), Map.of(), "history-trend", store,
                        Duration.ofMillis(500), NOBODY_ERASED).start()) {
            await().atMost(WAIT).until(() -> count(store,
                    "SELECT count(readings) FROM \"minutes\".vitals_1m WHERE patient = 'p-h5'") == 120);

            List<InfluxHistoryStore.TrendPoint> day = store.trend("p-h5", InfluxHistoryStore.TrendRange.DAY, now);

            assertThat("two hours in five-minute buckets (the first and last may be partial)", day.size(),
                    org.hamcrest.Matchers.both(greaterThan(23)).and(org.hamcrest.Matchers.lessThan(26)));
            assertThat("the band's floor is the lowest minimum", day.stream()
                    .mapToDouble(InfluxHistoryStore.TrendPoint::heartRateMin).min().orElseThrow(), is(60.0));
            assertThat("the band's ceiling is the highest maximum", day.stream()
                    .mapToDouble(InfluxHistoryStore.TrendPoint::heartRateMax).max().orElseThrow(), is(89.0));
            assertThat(day.get(0).heartRateMean(), is(70.0));
            assertThat("no blood pressure was measured", day.get(0).systolicMean(), org.hamcrest.Matchers.nullValue());
        }
    }

    @Test
    void shouldSummariseSeveralPatientsDaysInOneQuery() {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        for (int minute = 1; minute <= 90; minute++) {
            Instant start = now.minusSeconds(60L * minute);
            writer.write(Topics.VITALS_1M, "p-s1", VitalsMinute.newBuilder().setPatientId("p-s1").setMinuteStart(start)
                    .setReadings(60).setHeartRateMin(55.0).setHeartRateMean(70.0).setHeartRateMax(90.0 + minute % 5)
                    .setSpo2Min(96.0).build());
            writer.write(Topics.VITALS_1M, "p-s2", VitalsMinute.newBuilder().setPatientId("p-s2").setMinuteStart(start)
                    .setReadings(60).setHeartRateMin(80.0).setHeartRateMean(100.0).setHeartRateMax(120.0)
                    .setSpo2Min(minute <= 10 ? 85.0 : 95.0).build());
        }
        try (InfluxHistoryStore store = new InfluxHistoryStore(influx.url(), "cw_summaries", "30d", "400d");
                HistoryWriter history = new HistoryWriter(kafka.bootstrapServers(), Map.of(), "history-summaries", store,
                        Duration.ofMillis(500), NOBODY_ERASED).start()) {
            await().atMost(WAIT).until(() -> count(store,
                    "SELECT count(readings) FROM \"minutes\".vitals_1m WHERE patient = 'p-s2'") == 90);

            Map<String, InfluxHistoryStore.VitalsSummary> day = store.summaries(List.of("p-s1", "p-s2", "p-s3"),
                    now.minus(Duration.ofDays(1)), now.plusSeconds(60));

            assertThat(day.get("p-s1").heartRateMin(), is(55.0));
            assertThat(day.get("p-s1").heartRateMax(), is(94.0));
            assertThat(day.get("p-s1").desaturationMinutes(), is(0L));
            assertThat(day.get("p-s2").heartRateMean(), is(100.0));
            assertThat("ten minutes below 90 % for the second patient only", day.get("p-s2").desaturationMinutes(),
                    is(10L));
            assertThat("90 minutes span 2 or 3 clock hours", day.get("p-s2").hoursWithData(),
                    org.hamcrest.Matchers.both(greaterThan(1)).and(org.hamcrest.Matchers.lessThan(4)));
            assertThat("a patient without data has an empty summary", day.get("p-s3").heartRateMax(),
                    org.hamcrest.Matchers.nullValue());
            assertThat(day.get("p-s3").hoursWithData(), is(0));
        }
    }

    /** Readings i of patients p-h3 (heart rate 50 + i) and p-h4 (100 + i), one second apart. */
    private static void publishSeries(int from, int count) {
        for (int i = from; i < from + count; i++) {
            for (String patient : List.of("p-h3", "p-h4")) {
                float rate = patient.equals("p-h3") ? 50f + i : 100f + i;
                writer.write(Topics.VITALS, patient, VitalSigns.newBuilder().setPatientId(patient).setDeviceId("dev-" + patient)
                        .setSequence(i + 1).setMeasuredAt(START.plusSeconds(i)).setReceivedAt(START.plusSeconds(i))
                        .setHeartRateBpm(rate).build());
            }
        }
    }

    /** Readings i of patients p-h1 (odd i) and p-h2 (even i), one second apart, heart rate 60 + i. */
    private static void publishReadings(int from, int count) {
        for (int i = from; i < from + count; i++) {
            String patient = i % 2 == 0 ? "p-h2" : "p-h1";
            writer.write(Topics.VITALS, patient, VitalSigns.newBuilder().setPatientId(patient).setDeviceId("dev-" + patient)
                    .setSequence(i + 1).setMeasuredAt(START.plusSeconds(i)).setReceivedAt(START.plusSeconds(i))
                    .setHeartRateBpm(60f + i).setSpo2Percent(97f).build());
        }
    }

    private static long rawCount(InfluxHistoryStore store) {
        // Only this test's patients: the topic holds the other test's readings too.
        return count(store, "SELECT count(heart_rate) FROM vitals WHERE patient = 'p-h1' OR patient = 'p-h2'");
    }

    private static long count(InfluxHistoryStore store, String query) {
        QueryResult result = store.query(query);
        return result.getResults().get(0).getSeries() == null ? 0 : Math.round(value(result, 1));
    }

    /** InfluxDB answers numbers as doubles; column 0 is the time. */
    private static double value(QueryResult result, int column) {
        List<List<Object>> values = result.getResults().get(0).getSeries().get(0).getValues();
        return ((Number) values.get(0).get(column)).doubleValue();
    }
}
