package io.iiotroutes.tsdb;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import org.apache.camel.component.influxdb2.data.Points;
import org.influxdb.dto.BatchPoints;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns the points the routes build (InfluxDB 2 client {@link Point}s in camel-influxdb2's {@link Points}) into the
 * influxdb-java {@link BatchPoints} camel-influxdb writes to InfluxDB 1.x: same measurement, tags, typed fields
 * and timestamp, so both write paths store exactly the same series (see {@code InfluxV1PointsTest}).
 * <p>
 * The InfluxDB 2 {@code Point} has no getters for its tags and fields; they are read from its fields once per
 * class (checked at class load, so a changed client library fails loudly at startup, not silently per point).
 */
public final class InfluxV1Points {

    private static final Field NAME = field("name");
    private static final Field TAGS = field("tags");
    private static final Field FIELDS = field("fields");

    private final String database;
    private final String retentionPolicy;

    /**
     * @param database        InfluxDB 1.x database every batch is written to
     * @param retentionPolicy retention policy, or null/blank for the database's default one
     */
    public InfluxV1Points(String database, String retentionPolicy) {
        this.database = database;
        this.retentionPolicy = retentionPolicy == null || retentionPolicy.isBlank() ? null : retentionPolicy;
    }

    public BatchPoints toBatch(Points points) {
        BatchPoints.Builder batch = BatchPoints.database(database).precision(TimeUnit.NANOSECONDS);
        if (retentionPolicy != null) {
            batch.retentionPolicy(retentionPolicy);
        }
        for (Point point : points.getInfluxPoints()) {
            batch.point(toV1(point));
        }
        return batch.build();
    }

    @SuppressWarnings("unchecked")
    static org.influxdb.dto.Point toV1(Point point) {
        try {
            org.influxdb.dto.Point.Builder builder = org.influxdb.dto.Point.measurement((String) NAME.get(point));
            builder.tag((Map<String, String>) TAGS.get(point));
            for (Map.Entry<String, Object> field : ((Map<String, Object>) FIELDS.get(point)).entrySet()) {
                addField(builder, field.getKey(), field.getValue());
            }
            if (point.getTime() != null) {
                builder.time(toNanos(point.getTime().longValue(), point.getPrecision()), TimeUnit.NANOSECONDS);
            }
            return builder.build();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read an InfluxDB 2 point: " + e.getMessage(), e);
        }
    }

    /** Keeps the field's type: influxdb-java's {@code field(String, Object)} would write every integer as a float. */
    private static void addField(org.influxdb.dto.Point.Builder builder, String name, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            builder.addField(name, ((Number) value).longValue());
        } else if (value instanceof Number number) {
            builder.addField(name, number.doubleValue());
        } else if (value instanceof Boolean bool) {
            builder.addField(name, bool.booleanValue());
        } else {
            builder.addField(name, value.toString());
        }
    }

    private static long toNanos(long time, WritePrecision precision) {
        return switch (precision) {
            case NS -> time;
            case US -> TimeUnit.MICROSECONDS.toNanos(time);
            case MS -> TimeUnit.MILLISECONDS.toNanos(time);
            case S -> TimeUnit.SECONDS.toNanos(time);
        };
    }

    private static Field field(String name) {
        try {
            Field field = Point.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("influxdb-client-java's Point has no field '" + name
                    + "' any more: update InfluxV1Points (" + e + ")");
        }
    }
}
