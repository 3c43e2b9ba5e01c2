package io.iiotroutes.sparkplug;

import io.iiotroutes.model.TopicContract;
import org.eclipse.tahu.message.model.SparkplugMeta;

import java.util.Optional;

/**
 * How Sparkplug names become ids of our model (docs/contract.md, Sparkplug B): a group id is the site, an edge node
 * id the node, a device the node {@code {edge node}.{device}}, a metric name the channel, with {@code /} turned into
 * {@code .} and any other character outside {@code [A-Za-z0-9_.-]} into {@code _} ({@code Inputs/Tank level} →
 * {@code Inputs.Tank_level}). Group, edge node and device ids are identities and are not rewritten: one that is not
 * a valid id is refused.
 */
public final class SparkplugNames {

    /** Between an edge node id and a device id in the node id of a device. */
    public static final String DEVICE_SEPARATOR = ".";
    /** The birth/death sequence metric, protocol state rather than a measurement. */
    public static final String BD_SEQ = SparkplugMeta.SPARKPLUG_BD_SEQUENCE_NUMBER_KEY;
    public static final String NODE_CONTROL = SparkplugMeta.METRIC_NODE_CONTROL + "/";
    public static final String DEVICE_CONTROL = "Device Control/";

    private SparkplugNames() {
    }

    /**
     * The channel id of a metric name, or empty when it cannot be one (empty, longer than an id may be, or not
     * starting with a letter or digit once rewritten). Costs one pass over at most 65 characters.
     */
    public static Optional<String> channel(String metricName) {
        if (metricName == null || metricName.isEmpty() || metricName.length() > 64) {
            return Optional.empty();
        }
        StringBuilder id = new StringBuilder(metricName.length());
        for (int i = 0; i < metricName.length(); i++) {
            char c = metricName.charAt(i);
            if (c == '/') {
                id.append('.');
            } else if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
                id.append(c);
            } else {
                id.append('_');
            }
        }
        String channel = id.toString();
        return TopicContract.isValidId(channel) ? Optional.of(channel) : Optional.empty();
    }

    /** The node id of an edge node ({@code device} null) or of one of its devices; not checked here. */
    public static String node(String edgeNode, String device) {
        return device == null ? edgeNode : edgeNode + DEVICE_SEPARATOR + device;
    }

    /** bdSeq and the Node Control / Device Control metrics: protocol, never stored as channels. */
    public static boolean isProtocolMetric(String metricName) {
        return metricName != null && (metricName.equals(BD_SEQ) || metricName.startsWith(NODE_CONTROL)
                || metricName.startsWith(DEVICE_CONTROL));
    }
}
