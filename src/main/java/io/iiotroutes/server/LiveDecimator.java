package io.iiotroutes.server;

import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the live stream light and honest: per channel at most one reading per {@code minIntervalMs} of source time
 * (high-rate channels are decimated; the TSDB keeps every reading), and never a reading older than the one a
 * browser already has (a replay from an edge journal goes to the TSDB and the history API, not to the live view).
 * Works on source timestamps, so the outcome does not depend on how fast messages arrive.
 */
public class LiveDecimator {

    private final long minIntervalMs;
    private final Map<String, Long> lastSent = new ConcurrentHashMap<>();

    /** @param maxRatePerSecond readings per channel per second at most; 0 or less sends every newer reading */
    public LiveDecimator(int maxRatePerSecond) {
        this.minIntervalMs = maxRatePerSecond <= 0 ? 1 : (long) Math.ceil(1000.0 / maxRatePerSecond);
    }

    /** The message with the readings to send live, or null when none is. */
    public synchronized NodeMessage decimate(NodeMessage message) {
        List<Reading> keep = new ArrayList<>(message.readings().size());
        for (Reading reading : message.readings()) {
            String key = message.site() + "/" + message.node() + "/" + reading.channel();
            Long last = lastSent.get(key);
            if (last == null || message.timestamp() >= last + minIntervalMs) {
                lastSent.put(key, message.timestamp());
                keep.add(reading);
            }
        }
        if (keep.isEmpty()) {
            return null;
        }
        return keep.size() == message.readings().size() ? message : new NodeMessage(message.version(), message.site(),
                message.node(), message.seq(), message.timestamp(), message.historical(), keep);
    }
}
