package io.iiotroutes.server;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.iiotroutes.server.AlarmEvaluator.ActiveAlarm;
import org.apache.camel.component.influxdb2.data.Points;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The server's active alarms as a TSDB measurement ({@value #MEASUREMENT}), written every period, so that Grafana's
 * alert rules follow the limits of the node files (the one source of limits) instead of keeping thresholds of their
 * own. One point per active alarm (tags {@code site}, {@code node}, {@code channel}, {@code level}; fields
 * {@code active} 1, {@code unacknowledged} 1 or 0, {@code id}, {@code threshold}, {@code value}), and once, when an
 * alarm is no longer active, a point with {@code active} and {@code unacknowledged} 0: a rule reading the last value
 * resolves at its next evaluation instead of waiting for the series to leave its window.
 *
 * <p>Bounded: one point per channel with limits at most (a channel has one alarm at a time), plus the alarms that
 * ended since the last report.
 */
public class AlarmStateReport {

    public static final String MEASUREMENT = "alarm_state";

    private final Supplier<List<ActiveAlarm>> active;
    private final Clock clock;
    /** The alarms of the last report that were active, by site/node/channel/level. */
    private Map<String, ActiveAlarm> reported = Map.of();

    public AlarmStateReport(AlarmEvaluator alarms) {
        this(alarms::active, Clock.systemUTC());
    }

    AlarmStateReport(Supplier<List<ActiveAlarm>> active, Clock clock) {
        this.active = active;
        this.clock = clock;
    }

    /** The points of this period, or null when no alarm is active and none ended since the last report. */
    public synchronized Points report() {
        long now = clock.millis();
        Map<String, ActiveAlarm> current = new HashMap<>();
        List<Point> points = new ArrayList<>();
        for (ActiveAlarm alarm : active.get()) {
            current.put(key(alarm), alarm);
            points.add(point(alarm, true, now));
        }
        Set<String> ended = new HashSet<>(reported.keySet());
        ended.removeAll(current.keySet());
        for (String key : ended) {
            points.add(point(reported.get(key), false, now));
        }
        reported = current;
        return points.isEmpty() ? null : Points.create(points);
    }

    private static Point point(ActiveAlarm alarm, boolean active, long now) {
        Point point = Point.measurement(MEASUREMENT)
                .addTag("site", alarm.site())
                .addTag("node", alarm.node())
                .addTag("channel", alarm.channel())
                .addTag("level", alarm.level().name())
                .addField("active", active ? 1L : 0L)
                .addField("unacknowledged", active && !alarm.acknowledged() ? 1L : 0L)
                .addField("id", alarm.id())
                .addField("threshold", alarm.limit())
                .time(now, WritePrecision.MS);
        if (alarm.value() != null) {
            point.addField("value", alarm.value());
        }
        return point;
    }

    private static String key(ActiveAlarm alarm) {
        return alarm.site() + "/" + alarm.node() + "/" + alarm.channel() + "/" + alarm.level();
    }
}
