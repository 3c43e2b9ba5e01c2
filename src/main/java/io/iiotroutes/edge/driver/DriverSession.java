package io.iiotroutes.edge.driver;

import io.iiotroutes.node.ChannelConfig;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a driver usable for the whole life of a node: connects lazily, retries a failed connect at most every
 * retryMs, and turns anything a driver throws into failed results so one bad device never stops sampling.
 */
public final class DriverSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriverSession.class);

    private final Driver driver;
    private final Clock clock;
    private final long retryMs;
    private boolean connected;
    private long nextAttempt = Long.MIN_VALUE;
    private String connectError = "not connected yet";

    public DriverSession(Driver driver, Clock clock, long retryMs) {
        this.driver = driver;
        this.clock = clock;
        this.retryMs = retryMs;
    }

    public boolean connected() {
        return connected;
    }

    /** Tries to connect unless connected or the last attempt is younger than retryMs. */
    public void ensureConnected() {
        long now = clock.millis();
        if (connected || now < nextAttempt) {
            return;
        }
        nextAttempt = now + retryMs;
        try {
            driver.connect();
            connected = true;
            LOG.info("driver connected");
        } catch (DriverException | RuntimeException e) {
            connectError = "driver not connected: " + e.getMessage();
            LOG.warn("{} (retrying every {} ms)", connectError, retryMs);
        }
    }

    /** One result per channel, in order, whatever the driver does. */
    public List<ChannelResult> read(List<ChannelConfig> channels) {
        ensureConnected();
        if (!connected) {
            return failAll(channels, connectError);
        }
        try {
            List<ChannelResult> results = driver.read(channels);
            if (results.size() != channels.size()) {
                return failAll(channels, "driver returned " + results.size() + " results for " + channels.size() + " channels");
            }
            return results;
        } catch (RuntimeException e) {
            LOG.warn("driver read failed", e);
            return failAll(channels, "driver error: " + e);
        }
    }

    private static List<ChannelResult> failAll(List<ChannelConfig> channels, String reason) {
        List<ChannelResult> failures = new ArrayList<>(channels.size());
        channels.forEach(c -> failures.add(ChannelResult.failure(c.id(), reason)));
        return failures;
    }

    @Override
    public void close() {
        connected = false;
        driver.close();
    }
}
