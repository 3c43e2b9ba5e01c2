package io.iiotroutes.edge;

import io.iiotroutes.node.GroupConfig;
import io.iiotroutes.node.NodeConfig;
import io.iiotroutes.node.NodeConfigException;
import io.iiotroutes.edge.driver.Driver;
import io.iiotroutes.edge.driver.DriverFactory;
import io.iiotroutes.edge.driver.DriverSession;
import io.iiotroutes.edge.driver.StandardDriverFactory;
import io.iiotroutes.edge.sampling.GroupSampler;
import io.iiotroutes.edge.sampling.SeqStore;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One acquisition node: a configuration file, its driver, and the sampling state. The caller's timer calls
 * {@link #sample()} every {@link #samplePeriodMillis()}; messages hold only the channels that report.
 */
public final class EdgeNode implements AutoCloseable {

    /** How often a driver that failed to connect is tried again. */
    static final long RECONNECT_MS = 10_000;

    private final NodeConfig config;
    private final Clock clock;
    private final DriverSession session;
    private final SeqStore seq;
    private final List<GroupSampler> groups = new ArrayList<>();
    private boolean closed;

    private EdgeNode(NodeConfig config, Clock clock, Driver driver, SeqStore seq) {
        this.config = config;
        this.clock = clock;
        this.seq = seq;
        this.session = new DriverSession(driver, clock, RECONNECT_MS);
        long now = clock.millis();
        for (GroupConfig group : config.groups()) {
            groups.add(new GroupSampler(group, config.fastestPeriodMs(), config.staleAfterPeriods(), now));
        }
    }

    /** Loads a node configuration file (YAML) and opens its driver; stateDir holds the persisted seq counter. */
    public static EdgeNode load(Path configFile, Path stateDir) throws NodeConfigException {
        return load(configFile, stateDir, Clock.systemUTC());
    }

    public static EdgeNode load(Path configFile, Path stateDir, Clock clock) throws NodeConfigException {
        return load(configFile, stateDir, clock, new StandardDriverFactory());
    }

    /** Same, with the clock that timestamps and schedules samples and the factory that builds the driver. */
    public static EdgeNode load(Path configFile, Path stateDir, Clock clock, DriverFactory drivers)
            throws NodeConfigException {
        NodeConfig config = EdgeNodeConfig.load(configFile);
        SeqStore seq = openSeq(stateDir.resolve(config.site() + "." + config.node() + ".seq"));
        EdgeNode node = new EdgeNode(config, clock, drivers.create(config, clock), seq);
        node.session.ensureConnected(); // a device that is not there yet gives BAD readings, not a failed start
        return node;
    }

    private static SeqStore openSeq(Path file) throws NodeConfigException {
        try {
            return SeqStore.open(file);
        } catch (IOException e) {
            throw new NodeConfigException("cannot read the sequence counter " + file + ": " + e.getMessage(), e);
        }
    }

    public String site() {
        return config.site();
    }

    public String nodeId() {
        return config.node();
    }

    /** The node file as read and checked (channels, units, ranges, protocol). */
    public NodeConfig config() {
        return config;
    }

    /** How the node's publisher confirms delivery (the node file's {@code delivery} block). */
    public io.iiotroutes.node.DeliveryConfig delivery() {
        return config.delivery();
    }

    /** The timer period: the fastest channel group's period. */
    public long samplePeriodMillis() {
        return config.fastestPeriodMs();
    }

    /**
     * Samples the groups that are due, converts with quality, applies report-by-exception and returns the message
     * to publish, or null when no channel needs reporting this tick. seq grows by exactly 1 per returned message.
     */
    public synchronized NodeMessage sample() {
        if (closed) {
            throw new IllegalStateException("node " + nodeId() + " is closed");
        }
        long now = clock.millis();
        List<Reading> readings = new ArrayList<>();
        for (GroupSampler group : groups) {
            if (group.isDue(now)) {
                readings.addAll(group.sample(session, now));
            }
        }
        if (readings.isEmpty()) {
            return null;
        }
        return NodeMessage.live(site(), nodeId(), seq.next(), now, readings);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            session.close();
        }
    }
}
