package org.cardiowatch.alerts.dashboard;

import java.util.List;
import org.cardiowatch.alerts.history.InfluxHistoryStore;

/** A patient's trend as the dashboard charts it: one point per bucket, oldest first. */
public record TrendView(String range, String bucket, List<InfluxHistoryStore.TrendPoint> points) {
}
