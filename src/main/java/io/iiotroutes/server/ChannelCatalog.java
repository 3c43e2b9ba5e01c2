package io.iiotroutes.server;

import io.iiotroutes.edge.EdgeConfigException;
import io.iiotroutes.edge.config.AlarmConfig;
import io.iiotroutes.edge.config.ChannelConfig;
import io.iiotroutes.edge.config.GroupConfig;
import io.iiotroutes.edge.config.NodeConfig;
import io.iiotroutes.edge.config.NodeConfigLoader;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The channels the server knows: those of the node configuration files (same files and parser as the edge: units,
 * ranges, alarm limits) and those only seen in messages; with the latest reading of each, so a page opened between
 * two reports shows every value at once.
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

    private final Map<String, ChannelInfo> channels = new ConcurrentSkipListMap<>();
    private final Map<String, Latest> latest = new ConcurrentSkipListMap<>();
    private final Map<String, Boolean> nodes = new ConcurrentSkipListMap<>();

    public ChannelCatalog(List<NodeConfig> configs) {
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
    public static ChannelCatalog load(String fileList) throws EdgeConfigException {
        List<NodeConfig> configs = new ArrayList<>();
        for (Path file : files(fileList)) {
            configs.add(NodeConfigLoader.load(file));
        }
        return new ChannelCatalog(configs);
    }

    static List<Path> files(String fileList) throws EdgeConfigException {
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
                throw new EdgeConfigException(trimmed + ": cannot list node files: " + e, e);
            }
            files.addAll(matches);
        }
        return files;
    }

    /** Records the readings of a stored message; a channel not in the configuration is added as seen. */
    public void observe(NodeMessage message) {
        nodes.putIfAbsent(nodeKey(message.site(), message.node()), false);
        for (Reading r : message.readings()) {
            String key = key(message.site(), message.node(), r.channel());
            channels.computeIfAbsent(key, k -> new ChannelInfo(message.site(), message.node(), r.channel(), r.unit(),
                    null, null, null, null, null, null, false));
            latest.merge(key, new Latest(r.value(), r.quality().name(), r.reason(), message.timestamp(), message.seq()),
                    (old, now) -> now.ts() >= old.ts() ? now : old);
        }
    }

    public boolean hasNode(String site, String node) {
        return nodes.containsKey(nodeKey(site, node));
    }

    /** Every node, "site/node", configured or seen; true when configured. */
    public Map<String, Boolean> nodes() {
        return Map.copyOf(nodes);
    }

    public List<ChannelInfo> channels() {
        return List.copyOf(channels.values());
    }

    public List<ChannelInfo> channels(String site, String node) {
        String prefix = nodeKey(site, node) + "/";
        return channels.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
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
