package org.cardiowatch.alerts.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * The history store: InfluxDB through its 1.x HTTP API. Raw readings go to the retention policy
 * {@value #RAW} (kept {@code rawRetention}), minute aggregates to {@value #MINUTES} (kept
 * {@code minuteRetention}), so trends over months stay cheap while raw points age out.
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
        if (!database.matches("[A-Za-z0-9_]{1,64}") || !rawRetention.matches("[0-9]+[hdw]")
                || !minuteRetention.matches("[0-9]+[hdw]")) {
            throw new IllegalArgumentException("History database name or retention is not valid InfluxQL");
        }
        this.influx = InfluxDBFactory.connect(url);
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

    /** Writes raw points and minute points; throws when InfluxDB does not take them. */
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
        QueryResult result = influx.query(new Query("SELECT min(heart_rate_min), mean(heart_rate_mean), "
                + "max(heart_rate_max), mean(spo2_mean), mean(systolic_mean), mean(diastolic_mean) FROM \""
                + MINUTES + "\".vitals_1m WHERE patient = '" + patientId + "' AND time >= " + start + "ms AND time <= "
                + end + "ms GROUP BY time(" + range.bucket() + ") fill(none)", database), TimeUnit.MILLISECONDS);
        if (result.hasError()) {
            throw new IllegalStateException("InfluxDB refused a query: " + result.getError());
        }
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
        QueryResult result = influx.query(new Query(influxQl, database));
        if (result.hasError()) {
            throw new IllegalStateException("InfluxDB refused a query: " + result.getError());
        }
        return result;
    }

    @Override
    public void close() {
        influx.close();
    }
}
