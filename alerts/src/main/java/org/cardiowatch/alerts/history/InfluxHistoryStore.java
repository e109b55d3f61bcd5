package org.cardiowatch.alerts.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * The history store: InfluxDB through its 1.x HTTP API. Raw readings go to the retention policy
 * {@value #RAW} (kept {@code rawRetention}); minute aggregates and alert episodes to
 * {@value #MINUTES} (kept {@code minuteRetention}), so trends and alert timelines over months
 * stay cheap while raw points age out.
 */
public final class InfluxHistoryStore implements AutoCloseable {

    public static final String RAW = "raw";
    public static final String MINUTES = "minutes";

    private final InfluxDB influx;
    private final String database;
    private final String rawRetention;
    private final String minuteRetention;
    private volatile boolean prepared;

    /**
     * Connects lazily: the database and its retention policies are created before the first
     * write, so a service whose InfluxDB is down at start still starts, and the history catches up.
     *
     * @param rawRetention an InfluxQL duration such as {@code 30d}
     * @param minuteRetention such as {@code 400d}
     */
    public InfluxHistoryStore(String url, String database, String rawRetention, String minuteRetention) {
        this(url, Optional.empty(), Optional.empty(), database, rawRetention, minuteRetention);
    }

    /** With credentials, for an InfluxDB whose authentication is on. */
    public InfluxHistoryStore(String url, Optional<String> username, Optional<String> password, String database,
            String rawRetention, String minuteRetention) {
        if (username.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("History: set both the username and the password, or neither");
        }
        if (!database.matches("[A-Za-z0-9_]{1,64}") || !rawRetention.matches("[0-9]+[hdw]")
                || !minuteRetention.matches("[0-9]+[hdw]")) {
            throw new IllegalArgumentException("History database name or retention is not valid InfluxQL");
        }
        this.influx = username.isPresent() ? InfluxDBFactory.connect(url, username.get(), password.get())
                : InfluxDBFactory.connect(url);
        this.database = database;
        this.rawRetention = rawRetention;
        this.minuteRetention = minuteRetention;
    }

    /** Creates the database and its retention policies; idempotent, so every start can run it. */
    private void prepare() {
        if (prepared) {
            return;
        }
        run("CREATE DATABASE " + database);
        run("CREATE RETENTION POLICY " + RAW + " ON " + database + " DURATION " + rawRetention
                + " REPLICATION 1 DEFAULT");
        run("CREATE RETENTION POLICY " + MINUTES + " ON " + database + " DURATION " + minuteRetention
                + " REPLICATION 1");
        prepared = true;
    }

    /**
     * Writes raw points, and minute and alert points (kept long); throws when InfluxDB does not
     * take them.
     */
    public void write(List<Point> raw, List<Point> minutes) {
        prepare();
        if (!raw.isEmpty()) {
            influx.write(BatchPoints.database(database).retentionPolicy(RAW).points(raw).build());
        }
        if (!minutes.isEmpty()) {
            influx.write(BatchPoints.database(database).retentionPolicy(MINUTES).points(minutes).build());
        }
    }

    /** A trend window and the width of its buckets: a few hundred points per chart whatever the range. */
    public enum TrendRange {
        DAY("24h", Duration.ofHours(24), "5m"), WEEK("7d", Duration.ofDays(7), "30m"),
        MONTH("30d", Duration.ofDays(30), "2h");

        private final String name;
        private final Duration span;
        private final String bucket;

        TrendRange(String name, Duration span, String bucket) {
            this.name = name;
            this.span = span;
            this.bucket = bucket;
        }

        /** As the API names it: 24h, 7d, 30d. */
        public String label() {
            return name;
        }

        public Duration span() {
            return span;
        }

        /** The bucket width, an InfluxQL duration. */
        public String bucket() {
            return bucket;
        }

        public static Optional<TrendRange> parse(String text) {
            for (TrendRange range : values()) {
                if (range.name.equals(text)) {
                    return Optional.of(range);
                }
            }
            return Optional.empty();
        }
    }

    /** One bucket of a patient's trend; a value is null when the bucket holds no such reading. */
    public record TrendPoint(long time, Double heartRateMin, Double heartRateMean, Double heartRateMax, Double spo2Mean,
            Double systolicMean, Double diastolicMean) {
    }

    /** The patient's trend over a range ending now, from the minute aggregates. */
    public List<TrendPoint> trend(String patientId, TrendRange range, Instant now) {
        requirePatientId(patientId);
        prepare();
        long end = now.toEpochMilli();
        long start = now.minus(range.span()).toEpochMilli();
        QueryResult result = run("SELECT min(heart_rate_min), mean(heart_rate_mean), max(heart_rate_max), "
                + "mean(spo2_mean), mean(systolic_mean), mean(diastolic_mean) FROM \"" + MINUTES + "\"."
                + HistoryPoints.VITALS_1M + " WHERE patient = '" + patientId + "' AND time >= " + start
                + "ms AND time <= " + end + "ms GROUP BY time(" + range.bucket() + ") fill(none)", TimeUnit.MILLISECONDS);
        List<TrendPoint> points = new ArrayList<>();
        var series = result.getResults().get(0).getSeries();
        if (series == null) {
            return points;
        }
        for (List<Object> row : series.get(0).getValues()) {
            points.add(new TrendPoint(((Number) row.get(0)).longValue(), number(row.get(1)), number(row.get(2)),
                    number(row.get(3)), number(row.get(4)), number(row.get(5)), number(row.get(6))));
        }
        return points;
    }

    /**
     * An alert as the history keeps it: onset, end (null while open), kind and severity; what it
     * showed (its summary, worst value and the devices it rested on) and, apart, how it ended.
     *
     * @param measure what {@code worstValue} measures, for example heartRateBpm; null when none
     * @param sources the devices the episode rested on
     * @param resolution how it ended; null while open (and for episodes recorded before it was kept)
     * @param worstAt when the worst value was read; null without one (and for episodes recorded before it was kept)
     */
    public record AlertEpisode(String alertId, String kind, String severity, String state, Instant openedAt,
            Instant resolvedAt, String summary, Double worstValue, String measure, List<String> sources,
            String resolution, Instant worstAt) {

        /** How long of [from, to) the episode covers; an open one lasts until {@code to}. */
        public Duration overlap(Instant from, Instant to) {
            return overlap(openedAt, resolvedAt, from, to);
        }

        /** How long of [from, to) an episode from {@code opened} to {@code resolved} (null: still open) covers. */
        public static Duration overlap(Instant opened, Instant resolved, Instant from, Instant to) {
            Instant start = opened.isAfter(from) ? opened : from;
            Instant end = resolved == null || resolved.isAfter(to) ? to : resolved;
            return end.isAfter(start) ? Duration.between(start, end) : Duration.ZERO;
        }
    }

    /** How far before a window an episode that still overlaps it may have begun. */
    private static final Duration LONGEST_EPISODE = Duration.ofDays(30);

    /** The patient's alert episodes that overlap [from, to], oldest first. */
    public List<AlertEpisode> alertEpisodes(String patientId, Instant from, Instant to) {
        requirePatientId(patientId);
        prepare();
        QueryResult result = run("SELECT * FROM \"" + MINUTES + "\"." + HistoryPoints.ALERTS + " WHERE patient = '"
                + patientId + "' AND time >= " + from.minus(LONGEST_EPISODE).toEpochMilli() + "ms AND time <= "
                + to.toEpochMilli() + "ms", TimeUnit.MILLISECONDS);
        List<AlertEpisode> episodes = new ArrayList<>();
        var series = result.getResults().get(0).getSeries();
        if (series == null) {
            return episodes;
        }
        List<String> columns = series.get(0).getColumns();
        for (List<Object> row : series.get(0).getValues()) {
            Object resolved = column(row, columns, "resolved_at");
            Object worstAt = column(row, columns, "worst_at");
            AlertEpisode episode = new AlertEpisode((String) column(row, columns, "alert_id"),
                    (String) column(row, columns, "kind"), (String) column(row, columns, "severity"),
                    (String) column(row, columns, "state"),
                    Instant.ofEpochMilli(((Number) column(row, columns, "time")).longValue()),
                    resolved == null ? null : Instant.ofEpochMilli(((Number) resolved).longValue()),
                    (String) column(row, columns, "summary"), number(column(row, columns, "worst_value")),
                    (String) column(row, columns, "measure"), sources((String) column(row, columns, "sources")),
                    (String) column(row, columns, "resolution"),
                    worstAt == null ? null : Instant.ofEpochMilli(((Number) worstAt).longValue()));
            if (episode.overlap(from, to).compareTo(Duration.ZERO) > 0 || !episode.openedAt().isBefore(from)) {
                episodes.add(episode);
            }
        }
        return episodes;
    }

    /** A row's value of a column; null when no point of the series has that field (no alert resolved yet). */
    private static List<String> sources(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(","));
    }

    private static Object column(List<Object> row, List<String> columns, String name) {
        int index = columns.indexOf(name);
        return index < 0 ? null : row.get(index);
    }

    /** A raw reading as the history keeps it; null for what it did not measure. */
    public record StoredReading(String deviceId, Instant at, Double heartRate, Double spo2, Double systolic,
            Double diastolic) {
    }

    /** A page of the patient's raw readings in [from, to), oldest first. */
    public List<StoredReading> readings(String patientId, Instant from, Instant to, int limit, int offset) {
        requirePatientId(patientId);
        prepare();
        QueryResult result = run("SELECT * FROM \"" + RAW + "\"." + HistoryPoints.VITALS + " WHERE patient = '"
                + patientId + "' AND time >= " + from.toEpochMilli() + "ms AND time < " + to.toEpochMilli()
                + "ms ORDER BY time ASC LIMIT " + limit + " OFFSET " + offset, TimeUnit.MILLISECONDS);
        List<StoredReading> readings = new ArrayList<>();
        var series = result.getResults().get(0).getSeries();
        if (series == null) {
            return readings;
        }
        List<String> columns = series.get(0).getColumns();
        for (List<Object> row : series.get(0).getValues()) {
            readings.add(new StoredReading((String) column(row, columns, "device"),
                    Instant.ofEpochMilli(((Number) column(row, columns, "time")).longValue()),
                    number(column(row, columns, "heart_rate")), number(column(row, columns, "spo2")),
                    number(column(row, columns, "systolic")), number(column(row, columns, "diastolic"))));
        }
        return readings;
    }

    /** SpO2 below this (a minute's lowest reading) counts as desaturation in the daily summary. */
    public static final double DESATURATION_PERCENT = 90.0;

    /**
     * A patient's vitals over a window, from the minute aggregates: heart-rate minimum, mean and
     * maximum (null without heart-rate data), minutes whose lowest SpO2 was under
     * {@value #DESATURATION_PERCENT} %, how many of the window's hours hold any reading and how
     * many hours of it the patient has been monitored (from the first hour with data to the end;
     * the whole window when none has data), and the beats classified from their ECG with the
     * ventricular and supraventricular ectopic ones among them (0 without ECG).
     */
    public record VitalsSummary(Double heartRateMin, Double heartRateMean, Double heartRateMax,
            long desaturationMinutes, int hoursWithData, int hoursMonitored, long classifiedBeats,
            long ventricularBeats, long supraventricularBeats) {

        /** A summary of vitals alone, no ECG beats, over a window monitored throughout (24 hours). */
        public VitalsSummary(Double heartRateMin, Double heartRateMean, Double heartRateMax, long desaturationMinutes,
                int hoursWithData) {
            this(heartRateMin, heartRateMean, heartRateMax, desaturationMinutes, hoursWithData, 24, 0, 0, 0);
        }

        /** Hours since monitoring began in the window without any reading. */
        public int hoursWithoutData() {
            return Math.max(0, hoursMonitored - hoursWithData);
        }

        /** Ventricular ectopic beats as a share of the classified beats (PVC burden), or null without ECG. */
        public Double ventricularBurdenPercent() {
            return percentOfClassified(ventricularBeats);
        }

        /** Supraventricular ectopic beats as a share of the classified beats (SVEB burden), or null without ECG. */
        public Double supraventricularBurdenPercent() {
            return percentOfClassified(supraventricularBeats);
        }

        private Double percentOfClassified(long beats) {
            return classifiedBeats == 0 ? null : Math.round(beats * 1000.0 / classifiedBeats) / 10.0;
        }
    }

    /**
     * The summaries of several patients in one query (a daily review's worklist), not one query
     * per patient; a patient without data has an empty summary.
     */
    public Map<String, VitalsSummary> summaries(List<String> patientIds, Instant from, Instant to) {
        Map<String, VitalsSummary> summaries = new LinkedHashMap<>();
        if (patientIds.isEmpty()) {
            return summaries;
        }
        patientIds.forEach(InfluxHistoryStore::requirePatientId);
        prepare();
        String patients = patientIds.stream().map(id -> "patient = '" + id + "'").collect(Collectors.joining(" OR "));
        String where = " FROM \"" + MINUTES + "\"." + HistoryPoints.VITALS_1M + " WHERE (" + patients
                + ") AND time >= " + from.toEpochMilli() + "ms AND time < " + to.toEpochMilli() + "ms";
        // Hours counted from the window's start, not on the clock's: a 24-hour window is 24 of them, not 25.
        String hourly = "time(1h, " + Math.floorMod(from.toEpochMilli(), 3_600_000L) + "ms)";
        QueryResult result = run("SELECT min(heart_rate_min), mean(heart_rate_mean), max(heart_rate_max)" + where
                + " GROUP BY patient; SELECT count(spo2_min)" + where + " AND spo2_min < " + DESATURATION_PERCENT
                + " GROUP BY patient; SELECT count(readings)" + where + " GROUP BY patient, " + hourly + " fill(none)"
                + "; SELECT sum(classified_beats), sum(ventricular_beats), sum(supraventricular_beats)" + where
                + " GROUP BY patient", TimeUnit.MILLISECONDS);
        Map<String, List<Object>> heartRates = firstRowByPatient(result.getResults().get(0));
        Map<String, List<Object>> desaturations = firstRowByPatient(result.getResults().get(1));
        Map<String, List<Object>> beatClasses = firstRowByPatient(result.getResults().get(3));
        Map<String, Integer> hours = new HashMap<>();
        Map<String, Integer> monitored = new HashMap<>();
        int windowHours = (int) Math.max(1, Math.ceil(java.time.Duration.between(from, to).toMinutes() / 60.0));
        if (result.getResults().get(2).getSeries() != null) {
            result.getResults().get(2).getSeries().forEach(series -> {
                String patient = series.getTags().get("patient");
                hours.put(patient, series.getValues().size());
                // The first hour bucket with data: monitoring began then (or before the window).
                long first = ((Number) series.getValues().get(0).get(0)).longValue();
                monitored.put(patient, (int) Math.min(windowHours,
                        Math.ceil((to.toEpochMilli() - Math.max(first, from.toEpochMilli())) / 3_600_000.0)));
            });
        }
        for (String patientId : patientIds) {
            List<Object> heartRate = heartRates.get(patientId);
            List<Object> desaturation = desaturations.get(patientId);
            List<Object> classes = beatClasses.get(patientId);
            summaries.put(patientId, new VitalsSummary(heartRate == null ? null : number(heartRate.get(1)),
                    heartRate == null ? null : number(heartRate.get(2)), heartRate == null ? null : number(heartRate.get(3)),
                    desaturation == null ? 0 : ((Number) desaturation.get(1)).longValue(),
                    hours.getOrDefault(patientId, 0), monitored.getOrDefault(patientId, windowHours),
                    count(classes, 1), count(classes, 2), count(classes, 3)));
        }
        return summaries;
    }

    private static Map<String, List<Object>> firstRowByPatient(QueryResult.Result result) {
        Map<String, List<Object>> rows = new HashMap<>();
        if (result.getSeries() != null) {
            result.getSeries().stream().filter(series -> !series.getValues().isEmpty())
                    .forEach(series -> rows.put(series.getTags().get("patient"), series.getValues().get(0)));
        }
        return rows;
    }

    private static long count(List<Object> row, int column) {
        return row == null || row.get(column) == null ? 0 : ((Number) row.get(column)).longValue();
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    private static void requirePatientId(String patientId) {
        if (!patientId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("Not a patient id");
        }
    }

    /** Deletes every point of a patient, raw and aggregated (the right to erasure). */
    public void erasePatient(String patientId) {
        requirePatientId(patientId);
        prepare();
        run("DROP SERIES WHERE \"patient\" = '" + patientId + "'");
    }

    /** Runs an InfluxQL query on the history database. */
    public QueryResult query(String influxQl) {
        prepare();
        return run(influxQl);
    }

    private QueryResult run(String influxQl) {
        return checked(influx.query(new Query(influxQl, database)));
    }

    private QueryResult run(String influxQl, TimeUnit precision) {
        return checked(influx.query(new Query(influxQl, database), precision));
    }

    private static QueryResult checked(QueryResult result) {
        if (result.hasError()) {
            throw new IllegalStateException("InfluxDB refused a query: " + result.getError());
        }
        for (QueryResult.Result statement : result.getResults()) {
            if (statement.hasError()) {
                throw new IllegalStateException("InfluxDB refused a query: " + statement.getError());
            }
        }
        return result;
    }

    @Override
    public void close() {
        influx.close();
    }
}
