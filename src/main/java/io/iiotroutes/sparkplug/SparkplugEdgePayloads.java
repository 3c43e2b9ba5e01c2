package io.iiotroutes.sparkplug;

import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.NodeConfig;
import org.eclipse.tahu.SparkplugInvalidTypeException;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertyDataType;
import org.eclipse.tahu.message.model.PropertySet;
import org.eclipse.tahu.message.model.PropertyValue;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.message.model.SparkplugMeta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an edge node of ours says in Sparkplug B (protocol {@code sparkplug-b}; docs/edge-nodes.md), encoded by Tahu:
 * NBIRTH with every channel of the node file as a Double metric (name = channel id, alias = its position from 1,
 * properties {@code engUnit}, and {@code engLow} / {@code engHigh} from its range), {@code bdSeq} and
 * {@code Node Control/Rebirth}; NDATA with the readings of one message of ours by alias, without datatypes, stamped
 * with the message's source time, {@code is_historical} when replayed from the journal, quality as the
 * {@code Quality} property (BAD 0, UNCERTAIN as STALE 500; none when GOOD); NDEATH with {@code bdSeq} only.
 */
public final class SparkplugEdgePayloads {

    static final String LOW_PROPERTY = "engLow";
    static final String HIGH_PROPERTY = "engHigh";

    private final Map<String, ChannelConfig> channels = new LinkedHashMap<>();
    private final Map<String, Long> aliases = new LinkedHashMap<>();

    public SparkplugEdgePayloads(NodeConfig config) {
        config.channels().forEach(channel -> {
            channels.put(channel.id(), channel);
            aliases.put(channel.id(), (long) aliases.size() + 1);
        });
    }

    /** The birth: every channel with its last reading (null before the first), so a host starts from the state now. */
    public byte[] birth(long seq, long bdSeq, long timestamp, Map<String, Reading> latest, Map<String, Long> latestAt) {
        try {
            List<Metric> metrics = new ArrayList<>();
            metrics.add(new Metric.MetricBuilder(SparkplugMeta.SPARKPLUG_BD_SEQUENCE_NUMBER_KEY, MetricDataType.Int64, bdSeq)
                    .timestamp(new Date(timestamp)).createMetric());
            metrics.add(new Metric.MetricBuilder(SparkplugMeta.METRIC_NODE_REBIRTH, MetricDataType.Boolean, false)
                    .timestamp(new Date(timestamp)).createMetric());
            for (ChannelConfig channel : channels.values()) {
                Reading reading = latest.get(channel.id());
                PropertySet properties = new PropertySet();
                if (channel.unit() != null) {
                    properties.setProperty(BirthCertificate.UNIT_PROPERTY, new PropertyValue<>(PropertyDataType.String, channel.unit()));
                }
                if (channel.range() != null && channel.range().size() == 2) {
                    properties.setProperty(LOW_PROPERTY, new PropertyValue<>(PropertyDataType.Double, channel.range().get(0)));
                    properties.setProperty(HIGH_PROPERTY, new PropertyValue<>(PropertyDataType.Double, channel.range().get(1)));
                }
                addQuality(properties, reading == null ? Quality.BAD : reading.quality());
                Long at = latestAt.get(channel.id());
                metrics.add(new Metric.MetricBuilder(channel.id(), MetricDataType.Double, reading == null ? null : reading.value())
                        .alias(aliases.get(channel.id())).timestamp(new Date(at == null ? timestamp : at))
                        .properties(properties).createMetric());
            }
            return encode(new SparkplugBPayload(new Date(timestamp), metrics, seq), false);
        } catch (SparkplugInvalidTypeException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One message of ours as NDATA (historical when it was journaled), readings by alias only. */
    public byte[] data(long seq, NodeMessage message) {
        try {
            List<Metric> metrics = new ArrayList<>();
            for (Reading reading : message.readings()) {
                Long alias = aliases.get(reading.channel());
                if (alias == null) {
                    continue;   // not a channel of the node file: it has no metric in the birth
                }
                PropertySet properties = new PropertySet();
                addQuality(properties, reading.quality());
                metrics.add(new Metric.MetricBuilder(alias, MetricDataType.Double, reading.value())
                        .timestamp(new Date(message.timestamp())).isHistorical(message.historical() ? Boolean.TRUE : null)
                        .properties(properties.isEmpty() ? null : properties).createMetric());
            }
            return encode(new SparkplugBPayload(new Date(message.timestamp()), metrics, seq), true);
        } catch (SparkplugInvalidTypeException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The NDEATH: its bdSeq, as registered in the will of the connection it ends. */
    public static byte[] death(long bdSeq) {
        try {
            Metric metric = new Metric.MetricBuilder(SparkplugMeta.SPARKPLUG_BD_SEQUENCE_NUMBER_KEY, MetricDataType.Int64, bdSeq)
                    .timestamp(null).createMetric();
            return encode(new SparkplugBPayload(null, List.of(metric), null), false);
        } catch (SparkplugInvalidTypeException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether an NCMD asks for a rebirth ({@code Node Control/Rebirth} = true). Never throws. */
    public static boolean isRebirthRequest(byte[] ncmd) {
        try {
            SparkplugBPayload payload = new SparkplugBPayloadDecoder().buildFromByteArray(ncmd, BirthCertificate.birthTypes());
            return payload.getMetrics().stream().anyMatch(m -> m != null && SparkplugMeta.METRIC_NODE_REBIRTH.equals(m.getName())
                    && Boolean.TRUE.equals(m.getValue()));
        } catch (Exception e) {
            return false;
        }
    }

    private static void addQuality(PropertySet properties, Quality quality) {
        if (quality == Quality.GOOD) {
            return;
        }
        int code = quality == Quality.BAD ? SparkplugValues.QUALITY_BAD : SparkplugValues.QUALITY_STALE;
        try {
            properties.setProperty(SparkplugMeta.QUALITY_PROP_NAME, new PropertyValue<>(PropertyDataType.Int32, code));
        } catch (SparkplugInvalidTypeException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encode(SparkplugBPayload payload, boolean withoutDatatypes) {
        try {
            return new SparkplugBPayloadEncoder().getBytes(payload, withoutDatatypes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
