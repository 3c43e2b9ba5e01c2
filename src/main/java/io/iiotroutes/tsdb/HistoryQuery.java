package io.iiotroutes.tsdb;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reads history back from the TSDB (the write side goes through the routes' TSDB endpoint). One implementation per
 * query language: {@link QuestDbHistory} (SQL over HTTP) and {@link InfluxQlHistory} (InfluxDB 1.x, or 2.x through
 * its v1 compatibility API).
 */
public interface HistoryQuery {

    /**
     * One channel's readings in [from, to): every stored reading when {@code step} is null (at most
     * {@code limit + 1}, so the caller can tell it was cut), else one aggregate per step that has data.
     */
    List<HistoryPoint> channel(String site, String node, String channel, Instant from, Instant to, Duration step,
                               int limit);

    /** Alarm events (measurement {@code alarm}) in [from, to), oldest first, at most {@code limit + 1}. */
    List<AlarmRecord> alarms(Instant from, Instant to, int limit);

    /** A raw reading (min = max = value, count 1) or one step's aggregate (value = mean). */
    record HistoryPoint(long ts, Double value, Double min, Double max, long count, String quality, Long seq) {
    }

    record AlarmRecord(long ts, String site, String node, String channel, String level, String event, Long id,
                       Double value, Double limit) {
    }

    /** Renders a step for SQL SAMPLE BY / InfluxQL GROUP BY time(): the largest whole unit. */
    static String stepLiteral(Duration step, boolean questDb) {
        long ms = step.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + (questDb ? "T" : "ms");
    }
}
