package io.iiotroutes.sparkplug;

import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertySet;
import org.eclipse.tahu.message.model.PropertyValue;
import org.eclipse.tahu.message.model.SparkplugMeta;

import java.util.Set;

/**
 * A metric's value and quality as a reading of our model: numbers and booleans (1 / 0) are stored; quality from the
 * metric's {@value SparkplugMeta#QUALITY_PROP_NAME} property (Sparkplug 3.0: 192 GOOD, 0 BAD, 500 STALE), GOOD
 * without one.
 */
final class SparkplugValues {

    static final int QUALITY_BAD = 0;
    static final int QUALITY_GOOD = 192;
    static final int QUALITY_STALE = 500;

    private static final Set<MetricDataType> NUMERIC = Set.of(MetricDataType.Int8, MetricDataType.Int16,
            MetricDataType.Int32, MetricDataType.Int64, MetricDataType.UInt8, MetricDataType.UInt16,
            MetricDataType.UInt32, MetricDataType.UInt64, MetricDataType.Float, MetricDataType.Double,
            MetricDataType.Boolean);

    private SparkplugValues() {
    }

    /** Whether metrics of this type are stored (as a number). */
    static boolean isNumeric(MetricDataType type) {
        return type != null && NUMERIC.contains(type);
    }

    /**
     * The reading of a metric stored as {@code channel}, or null when its value is not a number after all (a DATA
     * message giving another datatype than the birth, of a kind we do not store).
     */
    static Reading reading(String channel, String unit, Metric metric) {
        Object value = metric.getValue();
        Quality quality = Quality.GOOD;
        String reason = null;
        Integer code = qualityCode(metric.getProperties());
        if (code != null && code != QUALITY_GOOD) {
            quality = code == QUALITY_BAD ? Quality.BAD : Quality.UNCERTAIN;
            reason = code == QUALITY_STALE ? "Sparkplug quality STALE (500)"
                    : code == QUALITY_BAD ? "Sparkplug quality BAD (0)" : "Sparkplug quality code " + code;
        }
        if (value == null || Boolean.TRUE.equals(metric.getIsNull())) {
            return new Reading(channel, null, unit, null, Quality.BAD, reason == null ? "Sparkplug null value" : reason);
        }
        Double number;
        if (value instanceof Boolean b) {
            number = b ? 1.0 : 0.0;
        } else if (value instanceof Number n && isNumeric(metric.getDataType())) {
            number = n.doubleValue();
        } else {
            return null;
        }
        if (!Double.isFinite(number)) {
            return new Reading(channel, null, unit, null, Quality.BAD, "not a finite number: " + number);
        }
        return new Reading(channel, number, unit, null, quality, reason);
    }

    private static Integer qualityCode(PropertySet properties) {
        if (properties == null) {
            return null;
        }
        PropertyValue<?> quality = properties.getPropertyValue(SparkplugMeta.QUALITY_PROP_NAME);
        return quality != null && quality.getValue() instanceof Number n ? n.intValue() : null;
    }
}
