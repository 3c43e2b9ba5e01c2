package io.iiotroutes.sparkplug;

import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertyDataType;
import org.eclipse.tahu.message.model.PropertySet;
import org.eclipse.tahu.message.model.PropertyValue;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.message.model.SparkplugMeta;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Real Sparkplug B payloads, built and encoded with Tahu's own classes (no hand-written protobuf). */
public final class SparkplugPayloads {

    private final List<Metric> metrics = new ArrayList<>();
    private Long seq;
    private Long timestamp;

    public static SparkplugPayloads payload() {
        return new SparkplugPayloads();
    }

    public SparkplugPayloads seq(long seq) {
        this.seq = seq;
        return this;
    }

    public SparkplugPayloads at(long timestamp) {
        this.timestamp = timestamp;
        return this;
    }

    public SparkplugPayloads bdSeq(long bdSeq) {
        return metric(new Metric.MetricBuilder(SparkplugMeta.SPARKPLUG_BD_SEQUENCE_NUMBER_KEY, MetricDataType.Int64, bdSeq)
                .timestamp(null));
    }

    public SparkplugPayloads rebirthMetric() {
        return metric(new Metric.MetricBuilder(SparkplugMeta.METRIC_NODE_REBIRTH, MetricDataType.Boolean, false)
                .timestamp(null));
    }

    /** A birth metric: name, alias, datatype, value and (optional) engineering unit. */
    public SparkplugPayloads birth(String name, long alias, MetricDataType type, Object value, String unit) {
        // Tahu's MetricBuilder stamps a metric with the current time unless told otherwise
        Metric.MetricBuilder builder = new Metric.MetricBuilder(name, type, value).alias(alias)
                .timestamp(timestamp == null ? null : new Date(timestamp));
        if (unit != null) {
            builder.properties(properties("engUnit", PropertyDataType.String, unit));
        }
        return metric(builder);
    }

    /** A DATA metric by alias only, without datatype (as Sparkplug recommends), at its own timestamp. */
    public SparkplugPayloads alias(long alias, MetricDataType type, Object value, Long at) {
        return metric(new Metric.MetricBuilder(alias, type, value).timestamp(at == null ? null : new Date(at)));
    }

    public SparkplugPayloads metric(Metric.MetricBuilder builder) {
        try {
            metrics.add(builder.createMetric());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    public static PropertySet properties(String key, PropertyDataType type, Object value) {
        try {
            return new PropertySet.PropertySetBuilder().addProperty(key, new PropertyValue<>(type, value)).createPropertySet();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public SparkplugBPayload build() {
        SparkplugBPayload.SparkplugBPayloadBuilder builder = new SparkplugBPayload.SparkplugBPayloadBuilder();
        if (seq != null) {
            builder.setSeq(seq);
        }
        if (timestamp != null) {
            builder.setTimestamp(new Date(timestamp));
        }
        builder.addMetrics(metrics);
        return builder.createPayload();
    }

    /** Encoded by Tahu; DATA without datatypes where an alias is given (Tahu drops them when asked to). */
    public byte[] bytes() {
        return bytes(false);
    }

    public byte[] bytes(boolean stripDatatypes) {
        try {
            return new SparkplugBPayloadEncoder().getBytes(build(), stripDatatypes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
