package io.iiotroutes.server;

import io.iiotroutes.node.NodeConfigException;
import io.iiotroutes.node.AlarmConfig;
import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.GroupConfig;
import io.iiotroutes.node.NodeConfig;
import io.iiotroutes.node.NodeConfigLoader;
import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * The channels the server knows: those of the node configuration files (same files and parser as the edge: units,
 * ranges, alarm limits) and those only seen in messages; with the latest reading of each, so a page opened between
 * two reports shows every value at once.
 * <p>
 * Also the gate for what nodes may add ({@link #admit}): a node or channel not in a node file is taken only within
 * the {@link IngestLimits}, checked and reserved before the message is stored, so the server's state and the
 * TSDB's series stay bounded whatever nodes send. Every refusal is counted per limit.
 */
public class ChannelCatalog {

    /** One channel as the API shows it; configuration fields are null for a channel only seen in messages. */
    public record ChannelInfo(String site, String node, String channel, String unit, String signal,
                              List<Double> range, String group, Long periodMs, Long heartbeatMs, AlarmConfig alarms,
                              boolean configured) {
    }

    /** The latest reading of a channel. */
    public record Latest(Double value, String quality, String reason, long ts, long seq) {
    }

    private final ConcurrentSkipListMap<String, ChannelInfo> channels = new ConcurrentSkipListMap<>();
    private final Map<String, Latest> latest = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<String, Boolean> nodes = new ConcurrentSkipListMap<>();
    private final IngestLimits limits;
    // admission counts (guarded by this): unconfigured nodes per site and in all, unconfigured channels per node and in all
    private final Map<String, Integer> unconfiguredNodesPerSite = new HashMap<>();
    private final Map<String, Integer> unconfiguredChannelsPerNode = new HashMap<>();
    private int unconfiguredNodes;
    private int unconfiguredChannels;
    /**
     * The units each channel not in a node file was admitted with (guarded by this): the TSDB's series are per
     * channel and unit ({@link PointMapper}), so each unit of such a channel counts as one channel against the limits.
     */
    private final Map<String, Set<String>> unconfiguredUnits = new HashMap<>();
    private final Map<String, LongAdder> refusals = new ConcurrentSkipListMap<>();

    public ChannelCatalog(List<NodeConfig> configs) {
        this(configs, IngestLimits.unlimited());
    }

    public ChannelCatalog(List<NodeConfig> configs, IngestLimits limits) {
        this.limits = limits;
        for (String limit : limits.byName().keySet()) {
            refusals.put(limit, new LongAdder());
        }
        for (NodeConfig node : configs) {
            nodes.put(nodeKey(node.site(), node.node()), true);
            for (GroupConfig group : node.groups()) {
                for (ChannelConfig c : group.channels()) {
                    channels.put(key(node.site(), node.node(), c.id()), new ChannelInfo(node.site(), node.node(),
                            c.id(), c.unit(), c.signal(), c.range(), group.name(), group.periodMs(), c.heartbeatMs(),
                            c.alarms(), true));
                }
            }
        }
    }

    /**
     * Reads the node files of a comma-separated list; an entry may use a glob in its file name
     * ({@code config/nodes/*.yaml}). A blank list gives an empty catalog.
     */
    public static ChannelCatalog load(String fileList) throws NodeConfigException {
        return load(fileList, IngestLimits.unlimited());
    }

    /** As {@link #load(String)}, admitting what is not in the files within the given limits. */
    public static ChannelCatalog load(String fileList, IngestLimits limits) throws NodeConfigException {
        List<NodeConfig> configs = new ArrayList<>();
        for (Path file : files(fileList)) {
            configs.add(NodeConfigLoader.load(file));
        }
        return new ChannelCatalog(configs, limits);
    }

    static List<Path> files(String fileList) throws NodeConfigException {
        List<Path> files = new ArrayList<>();
        if (fileList == null) {
            return files;
        }
        for (String entry : fileList.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            Path path = Path.of(trimmed);
            String name = path.getFileName().toString();
            if (!name.contains("*") && !name.contains("?")) {
                files.add(path);
                continue;
            }
            Path dir = path.getParent() == null ? Path.of(".") : path.getParent();
            TreeSet<Path> matches = new TreeSet<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, name)) {
                stream.forEach(matches::add);
            } catch (IOException e) {
                throw new NodeConfigException(trimmed + ": cannot list node files: " + e, e);
            }
            files.addAll(matches);
        }
        return files;
    }

    /**
     * Takes the node and the channels of a decoded message before it is stored: a node or channel not in a node file
     * is added (as seen) when it fits the limits; otherwise nothing is added and the message is refused whole, with a
     * reason that names the limit. A channel not in a node file counts once per unit it is sent with (each is a
     * series of its own in the TSDB); a channel of a node file must come with the unit of its file, else the message
     * is refused as invalid (a configuration error: the node's file differs from the server's). Costs a map look-up
     * per reading.
     */
    public synchronized void admit(NodeMessage message) throws InvalidMessageException {
        String nodeKey = nodeKey(message.site(), message.node());
        boolean newNode = !nodes.containsKey(nodeKey);
        List<Reading> newChannels = new ArrayList<>();
        boolean newUnit = false;
        for (Reading r : message.readings()) {
            String key = key(message.site(), message.node(), r.channel());
            ChannelInfo known = channels.get(key);
            if (known == null) {
                newChannels.add(r);
            } else if (known.configured()) {
                if (!Objects.equals(known.unit(), r.unit())) {
                    throw new InvalidMessageException("unit '" + r.unit() + "' of channel '" + r.channel() + "' is not '"
                            + known.unit() + "' as in the node file of " + nodeKey + " (iiot.server.nodes): a unit change"
                            + " needs the server's node file changed too");
                }
            } else if (!unconfiguredUnits.getOrDefault(key, Set.of()).contains(r.unit())) {
                newChannels.add(r);
                newUnit = true;
            }
        }
        if (newNode) {
            checkNewNode(message.site(), message.node());
        }
        if (!newChannels.isEmpty()) {
            int ofNode = unconfiguredChannelsPerNode.getOrDefault(nodeKey, 0);
            String units = newUnit ? "; each unit of a channel counts as one channel" : "";
            if (ofNode + newChannels.size() > limits.maxUnconfiguredChannelsPerNode()) {
                throw refuse(IngestLimits.CHANNELS_PER_NODE, limits.maxUnconfiguredChannelsPerNode(), "node " + nodeKey
                        + " has " + ofNode + " channels not in a node file and this message adds " + newChannels.size()
                        + " (" + names(newChannels, newUnit) + ")" + units + "; list the node's channels in its node file"
                        + " (iiot.server.nodes) or raise the limit");
            }
            if (unconfiguredChannels + newChannels.size() > limits.maxUnconfiguredChannels()) {
                throw refuse(IngestLimits.CHANNELS, limits.maxUnconfiguredChannels(), "the server knows "
                        + unconfiguredChannels + " channels not in a node file and node " + nodeKey + " adds "
                        + newChannels.size() + " (" + names(newChannels, newUnit) + ")" + units);
            }
        }
        if (newNode) {
            addUnconfiguredNode(message.site(), nodeKey);
        }
        for (Reading r : newChannels) {
            String key = key(message.site(), message.node(), r.channel());
            // the channel as last admitted: a new unit is shown from now on
            channels.put(key, new ChannelInfo(message.site(), message.node(), r.channel(), r.unit(), null, null, null,
                    null, null, null, false));
            unconfiguredUnits.computeIfAbsent(key, k -> new HashSet<>()).add(r.unit());
        }
        if (!newChannels.isEmpty()) {
            unconfiguredChannelsPerNode.merge(nodeKey, newChannels.size(), Integer::sum);
            unconfiguredChannels += newChannels.size();
        }
    }

    /**
     * A node's decoded status (ours, or a Sparkplug birth or death; IngestDecoder.decodeStatus refused any topic
     * outside the namespace): its node counts against the node limits like data.
     */
    public synchronized void admitNodeStatus(NodeStatus status) throws LimitExceededException {
        String nodeKey = nodeKey(status.site(), status.node());
        if (!nodes.containsKey(nodeKey)) {
            checkNewNode(status.site(), status.node());
            addUnconfiguredNode(status.site(), nodeKey);
        }
    }

    private void checkNewNode(String site, String node) throws LimitExceededException {
        int ofSite = unconfiguredNodesPerSite.getOrDefault(site, 0);
        if (ofSite >= limits.maxUnconfiguredNodesPerSite()) {
            throw refuse(IngestLimits.NODES_PER_SITE, limits.maxUnconfiguredNodesPerSite(), "site " + site + " has "
                    + ofSite + " nodes not in a node file; node " + node + " would be one more");
        }
        if (unconfiguredNodes >= limits.maxUnconfiguredNodes()) {
            throw refuse(IngestLimits.NODES, limits.maxUnconfiguredNodes(), "the server knows " + unconfiguredNodes
                    + " nodes not in a node file; node " + site + "/" + node + " would be one more");
        }
    }

    private void addUnconfiguredNode(String site, String nodeKey) {
        nodes.put(nodeKey, false);
        unconfiguredNodesPerSite.merge(site, 1, Integer::sum);
        unconfiguredNodes++;
    }

    private LimitExceededException refuse(String limit, int value, String detail) {
        refusals.get(limit).increment();
        return new LimitExceededException(limit, "limit " + IngestLimits.PREFIX + limit + " (" + value + ") reached: "
                + detail);
    }

    private static String names(List<Reading> readings, boolean withUnits) {
        String first = readings.stream().limit(5).map(r -> withUnits ? r.channel() + " [" + r.unit() + "]" : r.channel())
                .collect(Collectors.joining(", "));
        return readings.size() > 5 ? first + ", ..." : first;
    }

    /**
     * The limit {@code max-gap-ranges-per-node} refuses no message: beyond it a node's oldest ranges of missing
     * sequence numbers are forgotten (still counted as gaps). How many is its count here ({@link NodeMonitor}).
     */
    public void gapRangesForgotten(long ranges) {
        refusals.get(IngestLimits.GAP_RANGES_PER_NODE).add(ranges);
    }

    /**
     * Messages refused so far, per limit (every limit listed, 0 when it never refused); for
     * {@code max-gap-ranges-per-node}, the gap ranges forgotten ({@link #gapRangesForgotten}).
     */
    public Map<String, Long> refusals() {
        Map<String, Long> counts = new TreeMap<>();
        refusals.forEach((limit, count) -> counts.put(limit, count.sum()));
        return counts;
    }

    public IngestLimits limits() {
        return limits;
    }

    /** Counts refusals per limit as {@code iiot_limit_refusals_total{limit=...}}. */
    public void bindMetrics(MeterRegistry registry) {
        refusals.forEach((limit, count) -> FunctionCounter.builder("iiot.limit.refusals", count, LongAdder::sum)
                .tag("limit", limit).description("Messages refused (dead-lettered) because a per-node limit was reached;"
                        + " for max-gap-ranges-per-node, ranges of missing sequence numbers forgotten")
                .register(registry));
    }

    /** Records the readings of a stored message as the latest of their channels (admitted by {@link #admit}). */
    public void observe(NodeMessage message) {
        for (Reading r : message.readings()) {
            String key = key(message.site(), message.node(), r.channel());
            if (!channels.containsKey(key)) {
                continue;   // never admitted (cannot happen on the routes, which admit first): keep nothing of it
            }
            latest.merge(key, new Latest(r.value(), r.quality().name(), r.reason(), message.timestamp(), message.seq()),
                    (old, now) -> now.ts() >= old.ts() ? now : old);
        }
    }

    public boolean hasNode(String site, String node) {
        return nodes.containsKey(nodeKey(site, node));
    }

    /** Whether a node of this site is known (configured, or seen and admitted). */
    public boolean hasSite(String site) {
        String first = nodes.ceilingKey(site + "/");
        return first != null && first.startsWith(site + "/");
    }

    /** Every node, "site/node", configured or seen; true when configured. */
    public Map<String, Boolean> nodes() {
        return Map.copyOf(nodes);
    }

    public List<ChannelInfo> channels() {
        return List.copyOf(channels.values());
    }

    /** One node's channels: O(log n) to find them, whatever the number of channels of all nodes. */
    public List<ChannelInfo> channels(String site, String node) {
        String prefix = nodeKey(site, node) + "/";
        // ids never hold U+FFFF: every key of the node sorts between the two bounds
        return List.copyOf(channels.subMap(prefix, prefix + Character.MAX_VALUE).values());
    }

    /** Whether the node is in a node file. */
    public boolean isConfigured(String site, String node) {
        return Boolean.TRUE.equals(nodes.get(nodeKey(site, node)));
    }

    public Optional<ChannelInfo> channel(String site, String node, String channel) {
        return Optional.ofNullable(channels.get(key(site, node, channel)));
    }

    public Optional<Latest> latest(String site, String node, String channel) {
        return Optional.ofNullable(latest.get(key(site, node, channel)));
    }

    /** Gives every configured channel with limits to the alarm evaluator. */
    public void configureAlarms(AlarmEvaluator alarms) {
        for (ChannelInfo c : channels.values()) {
            if (c.alarms() != null) {
                alarms.configure(c.site(), c.node(), c.channel(), c.alarms(), c.unit());
            }
        }
    }

    private static String nodeKey(String site, String node) {
        return site + "/" + node;
    }

    private static String key(String site, String node, String channel) {
        return nodeKey(site, node) + "/" + channel;
    }
}
