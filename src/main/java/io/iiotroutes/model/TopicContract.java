package io.iiotroutes.model;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The versioned MQTT topic namespace: {@code iiot/v1/{site}/{node}/data}, {@code iiot/v1/{site}/{node}/status} and
 * {@code iiot/v1/{site}/{node}/alarm} (alarm events, published by the server), and the server's own
 * {@code iiot/v1/_deadletter} and {@code iiot/v1/_alarms/{site}/{node}}.
 * Site and node ids are restricted so that they are safe as topic levels and as TSDB tag values.
 */
public final class TopicContract {

    public static final String ROOT = "iiot/v1";
    /**
     * The property the application sets to {@link #ROOT} before the routes are read, so route files and settings
     * write {@code {{iiot.contract.topic-root}}} instead of repeating the root (it is the contract, not a setting).
     */
    public static final String ROOT_PROPERTY = "iiot.contract.topic-root";
    /** The root of the retained active-alarm state, one topic per node ({@link #activeAlarmsTopic}). */
    public static final String ACTIVE_ALARMS = ROOT + "/_alarms";
    /** Where each server replica says what it knows of each node's stream: {@code iiot/v1/_completeness/{site}/{node}}. */
    public static final String COMPLETENESS = ROOT + "/_completeness";
    public static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";
    private static final Pattern VALID_ID = Pattern.compile(ID_PATTERN);

    /** Site and node named by a topic of the namespace. */
    public record NodeAddress(String site, String node, String kind) {
    }

    private TopicContract() {
    }

    public static String dataTopic(String site, String node) {
        return topic(site, node, "data");
    }

    public static String statusTopic(String site, String node) {
        return topic(site, node, "status");
    }

    public static String alarmTopic(String site, String node) {
        return topic(site, node, "alarm");
    }

    /** Where the server acknowledges what it stored of a node: {@code iiot/v1/{site}/{node}/ack}. */
    public static String ackTopic(String site, String node) {
        return topic(site, node, "ack");
    }

    /**
     * Where the server keeps a node's active alarms, retained: {@code iiot/v1/_alarms/{site}/{node}}. Outside the
     * node's own topics, so that only the server may write it (no id starts with '_').
     */
    public static String activeAlarmsTopic(String site, String node) {
        return serverTopic(ACTIVE_ALARMS, site, node);
    }

    /** Parses {@code iiot/v1/_alarms/{site}/{node}} (kind "alarms"); empty for any other topic. */
    public static Optional<NodeAddress> parseActiveAlarms(String topic) {
        return parseServerTopic(ACTIVE_ALARMS, "alarms", topic);
    }

    public static String completenessTopic(String site, String node) {
        return serverTopic(COMPLETENESS, site, node);
    }

    /** Parses {@code iiot/v1/_completeness/{site}/{node}} (kind "completeness"); empty for any other topic. */
    public static Optional<NodeAddress> parseCompleteness(String topic) {
        return parseServerTopic(COMPLETENESS, "completeness", topic);
    }

    private static String serverTopic(String root, String site, String node) {
        if (!isValidId(site) || !isValidId(node)) {
            throw new IllegalArgumentException("site and node ids must match " + ID_PATTERN + ": " + site + "/" + node);
        }
        return root + "/" + site + "/" + node;
    }

    private static Optional<NodeAddress> parseServerTopic(String root, String kind, String topic) {
        if (topic == null || !topic.startsWith(root + "/")) {
            return Optional.empty();
        }
        String[] levels = topic.substring(root.length() + 1).split("/", -1);
        if (levels.length != 2 || !isValidId(levels[0]) || !isValidId(levels[1])) {
            return Optional.empty();
        }
        return Optional.of(new NodeAddress(levels[0], levels[1], kind));
    }

    /** The filter of one kind of topic of every node: {@code iiot/v1/+/+/alarm}. */
    public static String filter(String kind) {
        return ROOT + "/+/+/" + kind;
    }

    public static boolean isValidId(String id) {
        return id != null && VALID_ID.matcher(id).matches();
    }

    /** Parses {@code iiot/v1/{site}/{node}/{kind}}; empty when the topic is not of the namespace. */
    public static Optional<NodeAddress> parse(String topic) {
        if (topic == null || !topic.startsWith(ROOT + "/")) {
            return Optional.empty();
        }
        String[] levels = topic.substring(ROOT.length() + 1).split("/", -1);
        if (levels.length != 3 || !isValidId(levels[0]) || !isValidId(levels[1]) || levels[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new NodeAddress(levels[0], levels[1], levels[2]));
    }

    private static String topic(String site, String node, String kind) {
        if (!isValidId(site) || !isValidId(node)) {
            throw new IllegalArgumentException("site and node ids must match " + ID_PATTERN + ": " + site + "/" + node);
        }
        return ROOT + "/" + site + "/" + node + "/" + kind;
    }
}
