package io.iiotroutes.server;

import java.util.TreeSet;

/**
 * Completeness of one node's stream, from its per-node {@code seq}: how many messages arrived, which sequence
 * numbers are missing (a gap that later arrivals may fill), how many were duplicates (at-least-once delivery
 * redelivers), and how often the node restarted its numbering.
 */
public class SequenceTracker {

    /** What one arrival meant. */
    public enum Outcome { FIRST, NEXT, GAP, GAP_FILLED, DUPLICATE, RESET }

    private final int maxTrackedMissing;
    private final TreeSet<Long> missing = new TreeSet<>();
    private long lastSeq = -1;
    private long lastTimestamp = Long.MIN_VALUE;
    private long received;
    private long duplicates;
    private long resets;
    private long missingForgotten;

    /** @param maxTrackedMissing missing numbers remembered for late arrival; older ones stay counted as missing */
    public SequenceTracker(int maxTrackedMissing) {
        this.maxTrackedMissing = maxTrackedMissing;
    }

    /**
     * @param seq       the message's sequence number
     * @param timestamp its source timestamp: tells a redelivery (old timestamp) from a restarted counter (newer)
     */
    public synchronized Outcome observe(long seq, long timestamp) {
        received++;
        Outcome outcome = classify(seq, timestamp);
        lastTimestamp = Math.max(lastTimestamp, timestamp);
        return outcome;
    }

    private Outcome classify(long seq, long timestamp) {
        if (lastSeq < 0) {
            lastSeq = seq;
            return Outcome.FIRST;
        }
        if (seq == lastSeq + 1) {
            lastSeq = seq;
            return Outcome.NEXT;
        }
        if (seq > lastSeq + 1) {
            for (long s = lastSeq + 1; s < seq; s++) {
                missing.add(s);
                if (missing.size() > maxTrackedMissing) {
                    missing.pollFirst();
                    missingForgotten++;
                }
            }
            lastSeq = seq;
            return Outcome.GAP;
        }
        if (missing.remove(seq)) {
            return Outcome.GAP_FILLED;
        }
        if (timestamp > lastTimestamp) {
            // a lower number with a newer timestamp: the node lost its counter (new SD card, reinstall)
            resets++;
            missing.clear();
            lastSeq = seq;
            return Outcome.RESET;
        }
        duplicates++;
        return Outcome.DUPLICATE;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(lastSeq, received, missing.size() + missingForgotten, duplicates, resets);
    }

    /**
     * @param gaps sequence numbers that have not arrived (still missing now)
     */
    public record Snapshot(long lastSeq, long received, long gaps, long duplicates, long resets) {
    }
}
