package io.iiotroutes.server;

import java.util.Map;
import java.util.TreeMap;

/**
 * Completeness of one node's stream, from its per-node {@code seq}: how many messages arrived, which sequence
 * numbers are missing (a gap that later arrivals may fill), how many were duplicates (at-least-once delivery
 * redelivers), and how often the node restarted its numbering.
 * <p>
 * The missing numbers are kept as ranges, at most {@code maxTrackedRanges} of them: every call costs
 * O(log ranges) whatever the node sends, so a counter that jumps by 2^50 costs the same as one that skips one
 * number. Past the cap the oldest range is forgotten, its numbers still counted as missing (a late arrival of one
 * of them then counts as a duplicate).
 */
public class SequenceTracker {

    /** What one arrival meant. */
    public enum Outcome { FIRST, NEXT, GAP, GAP_FILLED, DUPLICATE, RESET }

    private final int maxTrackedRanges;
    /** Missing numbers: first of a range to last of it (inclusive), disjoint, all below {@link #lastSeq}. */
    private final TreeMap<Long, Long> missing = new TreeMap<>();
    private long missingTracked;
    private long missingForgotten;
    private boolean started;
    private long lastSeq;
    private long lastTimestamp = Long.MIN_VALUE;
    private long received;
    private long duplicates;
    private long resets;

    /** @param maxTrackedRanges ranges of missing numbers remembered for late arrival; older ones stay counted */
    public SequenceTracker(int maxTrackedRanges) {
        if (maxTrackedRanges < 1) {
            throw new IllegalArgumentException("maxTrackedRanges must be at least 1");
        }
        this.maxTrackedRanges = maxTrackedRanges;
    }

    /**
     * @param seq       the message's sequence number, 0 or more (the decoder refuses others)
     * @param timestamp its source timestamp: tells a redelivery (old timestamp) from a restarted counter (newer)
     */
    public synchronized Outcome observe(long seq, long timestamp) {
        if (seq < 0) {
            throw new IllegalArgumentException("negative sequence number " + seq);
        }
        received++;
        Outcome outcome = classify(seq, timestamp);
        lastTimestamp = Math.max(lastTimestamp, timestamp);
        return outcome;
    }

    private Outcome classify(long seq, long timestamp) {
        if (!started) {
            started = true;
            lastSeq = seq;
            return Outcome.FIRST;
        }
        if (seq > lastSeq) {
            // both are non-negative: the difference cannot overflow
            boolean next = seq - lastSeq == 1;
            if (!next) {
                addMissing(lastSeq + 1, seq - 1);
            }
            lastSeq = seq;
            return next ? Outcome.NEXT : Outcome.GAP;
        }
        if (removeMissing(seq)) {
            return Outcome.GAP_FILLED;
        }
        if (timestamp > lastTimestamp) {
            // a lower number with a newer timestamp: the node lost its counter (new SD card, reinstall)
            resets++;
            missing.clear();
            missingTracked = 0;
            lastSeq = seq;
            return Outcome.RESET;
        }
        duplicates++;
        return Outcome.DUPLICATE;
    }

    private void addMissing(long first, long last) {
        missing.put(first, last);
        missingTracked = saturatedAdd(missingTracked, last - first + 1);
        evictBeyondCap();
    }

    private boolean removeMissing(long seq) {
        Map.Entry<Long, Long> range = missing.floorEntry(seq);
        if (range == null || range.getValue() < seq) {
            return false;
        }
        long first = range.getKey();
        long last = range.getValue();
        missing.remove(first);
        if (first < seq) {
            missing.put(first, seq - 1);
        }
        if (seq < last) {
            missing.put(seq + 1, last);
        }
        missingTracked--;
        evictBeyondCap();
        return true;
    }

    private void evictBeyondCap() {
        while (missing.size() > maxTrackedRanges) {
            Map.Entry<Long, Long> oldest = missing.pollFirstEntry();
            long size = oldest.getValue() - oldest.getKey() + 1;
            missingTracked -= size;
            missingForgotten = saturatedAdd(missingForgotten, size);
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(started ? lastSeq : -1, received, saturatedAdd(missingTracked, missingForgotten),
                duplicates, resets);
    }

    /** Ranges of missing numbers remembered now (at most the cap). */
    synchronized int trackedRanges() {
        return missing.size();
    }

    /**
     * @param gaps sequence numbers that have not arrived (still missing now)
     */
    public record Snapshot(long lastSeq, long received, long gaps, long duplicates, long resets) {
    }
}
