package io.iiotroutes.sparkplug;

import io.iiotroutes.model.TopicContract;
import org.eclipse.tahu.SparkplugParsingException;
import org.eclipse.tahu.message.model.MessageType;
import org.eclipse.tahu.message.model.SparkplugMeta;
import org.eclipse.tahu.message.model.Topic;
import org.eclipse.tahu.util.TopicUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Sparkplug B topic namespace (Sparkplug 3.0): {@code spBv1.0/{group}/{NBIRTH|NDATA|NDEATH|NCMD}/{edge node}},
 * {@code spBv1.0/{group}/{DBIRTH|DDATA|DDEATH|DCMD}/{edge node}/{device}} and {@code spBv1.0/STATE/{host id}}, as the
 * host subscribes to it and as the broker's topic rules allow it (docs/contract.md, Sparkplug B).
 * <p>
 * Parsed with Tahu's {@link TopicUtil#parseTopic(String[])} on levels split here: its {@code parseTopic(String)}
 * keeps every topic string it ever parsed in a static, unbounded map.
 */
public final class SparkplugTopics {

    /** {@code spBv1.0}, the namespace of Sparkplug B. */
    public static final String NAMESPACE = SparkplugMeta.SPARKPLUG_B_TOPIC_PREFIX;
    /** {@code spBv1.0/STATE}, under which host applications publish their retained birth and death. */
    public static final String STATE = NAMESPACE + "/" + SparkplugMeta.SPARKPLUG_TOPIC_HOST_STATE_TOKEN;
    /** Edge-node message types a node publishes under its own id. */
    public static final List<MessageType> NODE_PUBLISHES = List.of(MessageType.NBIRTH, MessageType.NDATA, MessageType.NDEATH);
    /** Device message types a node publishes under its own id and a device id. */
    public static final List<MessageType> DEVICE_PUBLISHES = List.of(MessageType.DBIRTH, MessageType.DDATA, MessageType.DDEATH);

    /** A topic of the namespace: its type and ids ({@code device} null for an edge-node topic, ids null for STATE). */
    public record Address(MessageType type, String group, String edgeNode, String device, String hostId) {
        public boolean isDevice() {
            return device != null;
        }
    }

    private SparkplugTopics() {
    }

    /** Parses a Sparkplug B topic; empty when it is not one (other namespace, unknown type, wrong number of levels). */
    public static Optional<Address> parse(String topic) {
        if (topic == null || !topic.startsWith(NAMESPACE + "/")) {
            return Optional.empty();
        }
        // at most 6 pieces whatever the topic: a valid topic has 3 to 5 levels
        String[] levels = topic.split("/", 6);
        if (levels.length > 5) {
            return Optional.empty();
        }
        try {
            Topic parsed = TopicUtil.parseTopic(levels);
            if (parsed.getType() == MessageType.STATE) {
                return Optional.of(new Address(MessageType.STATE, null, null, null, parsed.getHostApplicationId()));
            }
            return Optional.of(new Address(parsed.getType(), parsed.getGroupId(), parsed.getEdgeNodeId(),
                    parsed.getDeviceId(), null));
        } catch (SparkplugParsingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The site and node (of our model) an edge-node or device topic speaks for, kind = its message type; empty for
     * STATE, for other topics, and for ids that are not valid site or node ids.
     */
    public static Optional<TopicContract.NodeAddress> nodeAddress(String topic) {
        return parse(topic).filter(a -> a.group() != null)
                .map(a -> new TopicContract.NodeAddress(a.group(), SparkplugNames.node(a.edgeNode(), a.device()), a.type().name()))
                .filter(a -> TopicContract.isValidId(a.site()) && TopicContract.isValidId(a.node()));
    }

    public static String stateTopic(String hostId) {
        return STATE + "/" + hostId;
    }

    public static String nodeTopic(String group, MessageType type, String edgeNode) {
        return NAMESPACE + "/" + group + "/" + type.name() + "/" + edgeNode;
    }

    public static String deviceTopic(String group, MessageType type, String edgeNode, String device) {
        return nodeTopic(group, type, edgeNode) + "/" + device;
    }

    /**
     * What a host subscribes to: the whole namespace ({@code spBv1.0/#}), or one filter per group id and its own
     * STATE topic (Sparkplug 3.0 asks a host to subscribe to its own STATE before publishing it).
     */
    public static List<String> hostSubscriptions(List<String> groups, String hostId) {
        if (groups.isEmpty()) {
            return List.of(NAMESPACE + "/#");
        }
        List<String> filters = new ArrayList<>();
        groups.forEach(group -> filters.add(NAMESPACE + "/" + group + "/#"));
        filters.add(stateTopic(hostId));
        return filters;
    }

    /**
     * The topics an edge node may publish, with its node id as MQTT username and its site as Sparkplug group:
     * {@code spBv1.0/{group}/NBIRTH|NDATA|NDEATH/{id}} and {@code spBv1.0/{group}/DBIRTH|DDATA|DDEATH/{id}/+}.
     */
    public static List<String> nodePublications(String group, String edgeNode) {
        requireIds(group, edgeNode);
        List<String> filters = new ArrayList<>();
        NODE_PUBLISHES.forEach(type -> filters.add(nodeTopic(group, type, edgeNode)));
        DEVICE_PUBLISHES.forEach(type -> filters.add(deviceTopic(group, type, edgeNode, "+")));
        return filters;
    }

    /**
     * The topics an edge node may subscribe to: its commands ({@code NCMD/{id}}, {@code DCMD/{id}/+}), its own death
     * (Tahu's edge client watches for a stale will of itself) and the hosts' STATE (to wait for its primary host).
     */
    public static List<String> nodeSubscriptions(String group, String edgeNode) {
        requireIds(group, edgeNode);
        return List.of(nodeTopic(group, MessageType.NCMD, edgeNode), deviceTopic(group, MessageType.DCMD, edgeNode, "+"),
                nodeTopic(group, MessageType.NDEATH, edgeNode), STATE + "/+");
    }

    /** What a server (host application) may publish: its STATE, and commands to edge nodes (rebirth requests). */
    public static List<String> hostPublications() {
        return List.of(STATE + "/+", NAMESPACE + "/+/" + MessageType.NCMD.name() + "/+");
    }

    private static void requireIds(String group, String edgeNode) {
        if (!TopicContract.isValidId(group) || !TopicContract.isValidId(edgeNode)) {
            throw new IllegalArgumentException("Sparkplug group and edge node ids must match " + TopicContract.ID_PATTERN
                    + ": " + group + "/" + edgeNode);
        }
    }
}
