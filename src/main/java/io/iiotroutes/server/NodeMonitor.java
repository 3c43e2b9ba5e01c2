package io.iiotroutes.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.iiotroutes.model.NodeMessage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.camel.component.influxdb2.data.Points;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What the server knows of each node: online/offline from its birth and last-will status messages, when it was
 * last heard from, and the completeness of its stream. Read by the API and written to the TSDB.
 */
public class NodeMonitor {

    public static final String COMPLETENESS_MEASUREMENT = "completeness";
    public static final String STATUS_MEASUREMENT = "node_status";
    /** The API names the lowest missing ranges of a node, so an operator can look for them; not all of them. */
    static final int MISSING_RANGES_SHOWN = 10;

    /** One node's state as the API shows it. */
    public record NodeState(String site, String node, String status, long lastSeen, long lastSourceTimestamp,
                            SequenceTracker.Snapshot completeness, long storedHere, List<long[]> missing) {
    }

    private static final class Entry {
        final SequenceTracker sequence;
        volatile String status = "unknown";
        volatile long lastSeen;
        /** When its last data message arrived (server clock): a status message, such as its last will, is not a sign of life. */
        volatile long lastData;
        volatile long lastSourceTimestamp;
        final LongAdder points = new LongAdder();
        final LongAdder storedHere = new LongAdder();

        Entry(int maxGapRanges, boolean detectResets, java.util.function.LongConsumer rangesForgotten) {
            sequence = new SequenceTracker(maxGapRanges, detectResets, rangesForgotten);
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Entry> nodes = new ConcurrentSkipListMap<>();
    private final int maxGapRanges;
    private final boolean replica;
    private final Clock clock;
    private final long startedAt;
    private volatile MeterRegistry metrics;
    /** The nodes of the node files ("site/node"): reported even before (or without) their first message. */
    private volatile Set<String> expected = Set.of();
    /** When nodes were last heard from before this start ({@link LastHeardFile}), and where to save it. */
    private final Map<String, Long> heardBefore = new ConcurrentHashMap<>();
    private volatile Consumer<Map<String, Long>> lastHeardSaver = times -> { };
    /** Told how many gap ranges a node's completeness forgot beyond the cap ({@link #countForgottenGapRanges}). */
    private volatile java.util.function.LongConsumer gapRangesForgotten = n -> { };

    public NodeMonitor(int maxGapRanges) {
        this(maxGapRanges, false, Clock.systemUTC());
    }

    /** @param replica one of several server replicas (completeness cannot tell a restarted counter then) */
    public NodeMonitor(int maxGapRanges, boolean replica) {
        this(maxGapRanges, replica, Clock.systemUTC());
    }

    NodeMonitor(int maxGapRanges, Clock clock) {
        this(maxGapRanges, false, clock);
    }

    NodeMonitor(int maxGapRanges, boolean replica, Clock clock) {
        this.maxGapRanges = maxGapRanges;
        this.replica = replica;
        this.clock = clock;
        this.startedAt = clock.millis();
    }

    /** The configured nodes ("site/node"): each is reported (completeness, silence) even if it never speaks. */
    public void expect(Collection<String> configuredNodes) {
        expected = Set.copyOf(configuredNodes);
    }

    /**
     * Counts the ranges of missing sequence numbers forgotten beyond {@code max-gap-ranges-per-node}, in all nodes
     * ({@link ChannelCatalog#gapRangesForgotten}: the limit's counter in metrics and on {@code /api/pipeline}).
     */
    public void countForgottenGapRanges(java.util.function.LongConsumer counter) {
        this.gapRangesForgotten = counter;
    }

    /** Restores when nodes were last heard from before this start, and saves it with every completeness report. */
    public void rememberLastHeard(LastHeardFile file) {
        heardBefore.putAll(file.load());
        lastHeardSaver = file::save;
    }

    /** Registers per-node gauges (gaps, duplicates, received, online) in the given registry from now on. */
    public void bindMetrics(MeterRegistry registry) {
        this.metrics = registry;
        nodes.forEach((key, entry) -> {
            String[] siteNode = key.split("/", 2);
            registerMeters(siteNode[0], siteNode[1], entry);
        });
    }

    private Entry entry(String site, String node) {
        String key = site + "/" + node;
        Entry existing = nodes.get(key);
        if (existing != null) {
            return existing;
        }
        // a skip list's computeIfAbsent may run the function twice: a node's first messages arrive on several
        // threads (its data here and as seen by the replicas, its status), and each must count in the same entry
        synchronized (nodes) {
            return nodes.computeIfAbsent(key, k -> {
                Entry entry = new Entry(maxGapRanges, !replica, n -> gapRangesForgotten.accept(n));
                registerMeters(site, node, entry);
                return entry;
            });
        }
    }

    private void registerMeters(String site, String node, Entry entry) {
        MeterRegistry registry = metrics;
        if (registry == null) {
            return;
        }
        Tags tags = Tags.of("site", site, "node", node);
        Gauge.builder("iiot.sequence.gaps", entry, e -> e.sequence.snapshot().gaps()).tags(tags)
                .description("Sequence numbers of the node not received (yet)").register(registry);
        Gauge.builder("iiot.sequence.duplicates", entry, e -> e.sequence.snapshot().duplicates()).tags(tags)
                .description("Messages of the node received more than once").register(registry);
        FunctionCounter.builder("iiot.messages.received", entry, e -> e.sequence.snapshot().received()).tags(tags)
                .description("Messages of the node stored (by this replica or, as their acknowledgements say, by the others)").register(registry);
        FunctionCounter.builder("iiot.messages.stored.here", entry, e -> e.storedHere.sum()).tags(tags)
                .description("Messages of the node this replica stored").register(registry);
        FunctionCounter.builder("iiot.points.stored", entry, e -> e.points.sum()).tags(tags)
                .description("Readings (points) of the node this replica stored: the ingest rate is its rate()").register(registry);
        Gauge.builder("iiot.node.online", entry, e -> "online".equals(e.status) ? 1 : 0).tags(tags)
                .description("1 while the node's last status is online").register(registry);
    }

    /** A data message was stored here, and this replica is the one that shows it (one server, no replicas). */
    public SequenceTracker.Outcome observe(NodeMessage message) {
        seen(message);
        return stored(message);
    }

    /** A data message was stored by this replica: it counts towards the node's completeness. */
    public SequenceTracker.Outcome stored(NodeMessage message) {
        Entry entry = entry(message.site(), message.node());
        entry.points.add(message.readings().size());
        entry.storedHere.increment();
        return entry.sequence.observe(message.seq(), message.timestamp(), message.historical());
    }

    /** A data message of the node arrived (stored here or by another replica): when it was last heard from. */
    public void seen(NodeMessage message) {
        Entry entry = entry(message.site(), message.node());
        entry.lastSeen = clock.millis();
        entry.lastData = entry.lastSeen;
        entry.lastSourceTimestamp = Math.max(entry.lastSourceTimestamp, message.timestamp());
        // online/offline comes from status messages only: data still queued after a node's "offline" must not
        // make it look alive again
    }

    /**
     * Another replica acknowledged these numbers of a node: they count towards its completeness here too. Only for
     * a node this replica knows (it has seen its data or status, each admitted within the per-node limits), so
     * acknowledgements cannot make this replica track nodes without bound. Returns whether the node was known.
     */
    public boolean storedElsewhere(String site, String node, List<long[]> ranges) {
        Entry entry = nodes.get(site + "/" + node);
        if (entry == null) {
            return false;
        }
        for (long[] range : ranges) {
            entry.sequence.storedElsewhere(range[0], range[1]);
        }
        return true;
    }

    /** What this replica knows of every node's stream ({@link SequenceTracker#view}), by "site/node". */
    public Map<String, SequenceTracker.View> views() {
        Map<String, SequenceTracker.View> views = new java.util.LinkedHashMap<>();
        nodes.forEach((key, entry) -> entry.sequence.view().ifPresent(view -> views.put(key, view)));
        return views;
    }

    /** Another replica's view of a node's stream, for a node this replica knows; returns whether it did. */
    public boolean merge(String site, String node, SequenceTracker.View view) {
        Entry entry = nodes.get(site + "/" + node);
        if (entry == null) {
            return false;
        }
        entry.sequence.merge(view);
        return true;
    }

    /**
     * A status message arrived ({@link IngestDecoder#decodeStatus}, its node admitted within the node limits): the
     * node's state from now on; returns the TSDB point recording it.
     */
    public Points status(NodeStatus status) {
        Entry entry = entry(status.site(), status.node());
        entry.status = status.state();
        entry.lastSeen = Math.max(entry.lastSeen, clock.millis());
        return Points.create(List.of(Point.measurement(STATUS_MEASUREMENT)
                .addTag("site", status.site())
                .addTag("node", status.node())
                .addField("state", status.state())
                .addField("online", status.online())
                .time(status.timestamp(), WritePrecision.MS)));
    }

    public List<NodeState> nodes() {
        List<NodeState> states = new ArrayList<>();
        nodes.forEach((key, entry) -> {
            String[] siteNode = key.split("/", 2);
            states.add(new NodeState(siteNode[0], siteNode[1], entry.status, entry.lastSeen,
                    entry.lastSourceTimestamp, entry.sequence.snapshot(), entry.storedHere.sum(),
                    entry.sequence.missingRanges(MISSING_RANGES_SHOWN)));
        });
        return states;
    }

    /** The API's view: every node with status and completeness, as JSON. */
    public String nodesJson() throws IOException {
        return json.writeValueAsString(nodes());
    }

    /**
     * Completeness counters and liveness of every node, seen or configured, as TSDB points at the current time (null
     * when there is none): {@code silent_s} is how long ago its last data message arrived (across restarts, see
     * {@link #rememberLastHeard}; a node never heard counts from the first start that knew it), {@code online} 1 while its last
     * status is online. A node that stays silent keeps being reported, so an alert on silence holds until it speaks.
     */
    public Points completenessPoints() {
        long now = clock.millis();
        List<Point> points = new ArrayList<>();
        Map<String, Long> silentSince = new LinkedHashMap<>(heardBefore);
        nodes.forEach((key, entry) -> points.add(completenessPoint(key, entry.sequence.snapshot(),
                "online".equals(entry.status), silentSince(key, entry.lastData, silentSince), now)));
        for (String key : expected) {
            if (!nodes.containsKey(key)) {
                points.add(completenessPoint(key, SequenceTracker.Snapshot.EMPTY, false, silentSince(key, 0, silentSince), now));
            }
        }
        lastHeardSaver.accept(silentSince);
        return points.isEmpty() ? null : Points.create(points);
    }

    /**
     * Since when a node is silent: its last data message here or before a restart, else (never heard) the first
     * start that knew it; recorded in {@code into}, which is saved, so that it holds across restarts.
     */
    private long silentSince(String key, long lastData, Map<String, Long> into) {
        long heard = Math.max(lastData, heardBefore.getOrDefault(key, 0L));
        long since = heard > 0 ? heard : startedAt;
        into.put(key, since);
        return since;
    }

    private Point completenessPoint(String key, SequenceTracker.Snapshot c, boolean online, long silentSince, long now) {
        String[] siteNode = key.split("/", 2);
        return Point.measurement(COMPLETENESS_MEASUREMENT)
                .addTag("site", siteNode[0])
                .addTag("node", siteNode[1])
                .addField("received", c.received())
                .addField("gaps", c.gaps())
                .addField("duplicates", c.duplicates())
                .addField("resets", c.resets())
                .addField("last_seq", c.lastSeq())
                .addField("silent_s", Math.max(0, now - silentSince) / 1000)
                .addField("online", online ? 1L : 0L)
                .time(now, WritePrecision.MS);
    }
}
