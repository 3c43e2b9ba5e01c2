package io.iiotroutes.server;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether the ingest pipeline is stalled: messages are in flight (delivered by the broker, not yet stored) and none
 * has been stored for longer than the threshold. Plain arithmetic over what the routes' statistics say, so the
 * health check (IngestHealthCheck) stays a thin adapter.
 *
 * @param threshold how long "nothing stored while something waits" may last before it counts as a stall
 */
public record IngestStall(Duration threshold) {

    /**
     * What the pipeline looks like at one instant.
     *
     * @param inflight            messages in the receive routes now
     * @param oldestInflightMs    how long the oldest of them has been in flight (0 when none)
     * @param sinceLastStoredMs   how long since a message was last stored; -1 when none ever was
     */
    public record Sample(int inflight, long oldestInflightMs, long sinceLastStoredMs) {
    }

    /** Empty when flowing (or idle); otherwise why it counts as stalled, in words an operator can act on. */
    public Optional<String> stalled(Sample sample) {
        long limit = threshold.toMillis();
        if (sample.inflight() == 0 || sample.oldestInflightMs() < limit) {
            return Optional.empty();
        }
        // nothing stored since the oldest waiting message arrived, or not for the threshold: either way, stuck
        long stuckFor = sample.sinceLastStoredMs() < 0 ? sample.oldestInflightMs()
                : Math.min(sample.sinceLastStoredMs(), sample.oldestInflightMs());
        if (stuckFor < limit) {
            return Optional.empty();
        }
        return Optional.of(sample.inflight() + " message(s) in flight, none stored for " + stuckFor / 1000
                + " s (oldest waiting " + sample.oldestInflightMs() / 1000 + " s; threshold " + threshold.toSeconds()
                + " s)");
    }
}
