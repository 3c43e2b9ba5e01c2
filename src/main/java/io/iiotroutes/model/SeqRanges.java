package io.iiotroutes.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of sequence numbers kept as disjoint, non-adjacent ranges {@code [first, last]}, at most {@code maxRanges} of
 * them. Adding a range costs O(log n + ranges it merges), whatever its width, so a value a node chooses (a jump to
 * 2^50) costs no more than a small one. When a new range would exceed the cap, the highest ranges are forgotten
 * (and counted): callers use this where forgetting costs a re-send or a report, never a loss.
 * <p>
 * Not thread-safe.
 */
public final class SeqRanges {

    private final int maxRanges;
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private long forgotten;

    public SeqRanges(int maxRanges) {
        if (maxRanges < 1) {
            throw new IllegalArgumentException("maxRanges must be at least 1: " + maxRanges);
        }
        this.maxRanges = maxRanges;
    }

    /** Adds {@code [first, last]} (inclusive), merging with the ranges it overlaps or touches. */
    public void add(long first, long last) {
        if (first > last) {
            throw new IllegalArgumentException("range [" + first + ", " + last + "] is empty");
        }
        long from = first;
        long to = last;
        Map.Entry<Long, Long> before = ranges.floorEntry(first);
        if (before != null && (first == Long.MIN_VALUE || before.getValue() >= first - 1)) {
            from = before.getKey();
            to = Math.max(to, before.getValue());
            ranges.remove(before.getKey());
        }
        // every range starting inside (from, to + 1] merges
        Map.Entry<Long, Long> next = ranges.ceilingEntry(from);
        while (next != null && (to == Long.MAX_VALUE || next.getKey() <= to + 1)) {
            to = Math.max(to, next.getValue());
            ranges.remove(next.getKey());
            next = ranges.ceilingEntry(from);
        }
        ranges.put(from, to);
        while (ranges.size() > maxRanges) {
            Map.Entry<Long, Long> highest = ranges.pollLastEntry();
            long width = highest.getValue() - highest.getKey();   // may overflow for a range wider than Long.MAX_VALUE
            forgotten = width < 0 || width == Long.MAX_VALUE || forgotten > Long.MAX_VALUE - width - 1
                    ? Long.MAX_VALUE : forgotten + width + 1;
        }
    }

    public void add(long seq) {
        add(seq, seq);
    }

    public boolean contains(long seq) {
        Map.Entry<Long, Long> range = ranges.floorEntry(seq);
        return range != null && range.getValue() >= seq;
    }

    /** Removes every number up to and including {@code seq}. */
    public void removeThrough(long seq) {
        while (!ranges.isEmpty() && ranges.firstKey() <= seq) {
            Map.Entry<Long, Long> first = ranges.pollFirstEntry();
            if (first.getValue() > seq) {
                ranges.put(seq + 1, first.getValue());
                return;
            }
        }
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** How many ranges are held. */
    public int rangeCount() {
        return ranges.size();
    }

    /** Numbers dropped because the cap was reached (saturating). */
    public long forgotten() {
        return forgotten;
    }

    /** The ranges, lowest first, as {@code [first, last]} pairs. */
    public List<long[]> toList() {
        List<long[]> list = new ArrayList<>(ranges.size());
        ranges.forEach((first, last) -> list.add(new long[]{first, last}));
        return list;
    }

    public void clear() {
        ranges.clear();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        ranges.forEach((first, last) -> text.append(text.length() > 1 ? ", " : "").append(first)
                .append(first.equals(last) ? "" : ".." + last));
        return text.append(']').toString();
    }
}
