package org.cardiowatch.alerts.history;

import java.util.List;
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

    /**
     * @param rawRetention an InfluxQL duration such as {@code 30d}
     * @param minuteRetention such as {@code 400d}
     */
    public InfluxHistoryStore(String url, String database, String rawRetention, String minuteRetention) {
        this.influx = InfluxDBFactory.connect(url);
        this.database = database;
        if (!database.matches("[A-Za-z0-9_]{1,64}") || !rawRetention.matches("[0-9]+[hdw]")
                || !minuteRetention.matches("[0-9]+[hdw]")) {
            throw new IllegalArgumentException("History database name or retention is not valid InfluxQL");
        }
        // Idempotent: creating what exists changes nothing, so every start can run it.
        query("CREATE DATABASE " + database);
        query("CREATE RETENTION POLICY " + RAW + " ON " + database + " DURATION " + rawRetention
                + " REPLICATION 1 DEFAULT");
        query("CREATE RETENTION POLICY " + MINUTES + " ON " + database + " DURATION " + minuteRetention
                + " REPLICATION 1");
    }

    /** Writes raw points and minute points; throws when InfluxDB does not take them. */
    public void write(List<Point> raw, List<Point> minutes) {
        if (!raw.isEmpty()) {
            influx.write(BatchPoints.database(database).retentionPolicy(RAW).points(raw).build());
        }
        if (!minutes.isEmpty()) {
            influx.write(BatchPoints.database(database).retentionPolicy(MINUTES).points(minutes).build());
        }
    }

    /** Deletes every point of a patient, raw and aggregated (the right to erasure). */
    public void erasePatient(String patientId) {
        if (!patientId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("Not a patient id");
        }
        query("DROP SERIES WHERE \"patient\" = '" + patientId + "'");
    }

    /** Runs an InfluxQL query on the history database. */
    public QueryResult query(String influxQl) {
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
