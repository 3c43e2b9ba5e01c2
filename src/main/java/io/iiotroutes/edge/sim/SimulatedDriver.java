package io.iiotroutes.edge.sim;

import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.edge.driver.ChannelResult;
import io.iiotroutes.edge.driver.Driver;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Produces each channel's simulation block (in signal units) with injected faults. Time is measured from
 * connect() on the given clock and every channel has its own seeded generator, so runs are repeatable.
 */
public final class SimulatedDriver implements Driver {

    private final Clock clock;
    private final long seed;
    private final Map<String, SimulatedChannel> channels = new HashMap<>();
    private long startMillis;
    private boolean connected;

    public SimulatedDriver(Clock clock, long seed) {
        this.clock = clock;
        this.seed = seed;
    }

    @Override
    public void connect() {
        startMillis = clock.millis();
        connected = true;
    }

    @Override
    public List<ChannelResult> read(List<ChannelConfig> requested) {
        double t = (clock.millis() - startMillis) / 1000.0;
        return requested.stream().map(c -> connected
                ? channels.computeIfAbsent(c.id(), id -> new SimulatedChannel(c, seed)).sample(t)
                : ChannelResult.failure(c.id(), "simulator not connected")).toList();
    }

    @Override
    public void close() {
        connected = false;
        channels.clear();
    }
}
