package io.iiotroutes.server;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Completeness of one node's stream, from its per-node {@code seq}: how many messages arrived, which sequence
 * numbers are missing (a gap that later arrivals may fill), how many were duplicates (at-least-once delivery
 * redelivers), and how often the node restarted its numbering.
 * <p>
 * The missing numbers are kept as ranges, at most {@code maxTrackedRanges} of them: every call costs
 * O(log ranges) whatever the node sends, so a counter that jumps by 2^50 costs the same as one that skips one
 * number. Past the cap the oldest range is forgotten, its numbers still counted as missing (a late arrival of one
 * of them then counts as a duplicate).
 * <p>
 * With several server replicas each stores part of a node's stream and acknowledges it; the others add those
 * acknowledged ranges here ({@link #storedElsewhere}), so every replica counts the whole stream. A range costs
 * O(log ranges) per missing range it fills, each of which it removes: bounded by the cap, whatever its length.
 */
public class SequenceTracker {

    /** What one arrival meant. */
    public enum Outcome { FIRST, NEXT, GAP, GAP_FILLED, DUPLICATE, RESET }

    private final int maxTrackedRanges;
    /** Told how many ranges were forgotten beyond the cap, once per change that forgot any. */
    private final LongConsumer forgotten;
    private long rangesForgotten;
    /** Missing numbers: first of a range to last of it (inclusive), disjoint, all below {@link #lastSeq}. */
    private final TreeMap<Long, Long> missing = new TreeMap<>();
    private long missingTracked;
    private long missingForgotten;
    /** Numbers up to this one may have been forgotten (evicted beyond the cap): what is known starts above it. */
    private long forgottenUpTo = -1;
    private boolean started;
    /** The lowest number known (stored here or elsewhere): below it nothing is known, so nothing is missing. */
    private long firstSeq;
    private long lastSeq;
    private long lastTimestamp = Long.MIN_VALUE;
    /** One server tells a restarted counter by its timestamps; replicas cannot (see {@link #SequenceTracker(int, boolean)}). */
    private final boolean detectResets;
    private long received;
    private long duplicates;
    private long resets;

    /** @param maxTrackedRanges ranges of missing numbers remembered for late arrival; older ones stay counted */
    public SequenceTracker(int maxTrackedRanges) {
        this(maxTrackedRanges, true);
    }

    /**
     * @param detectResets false for one of several replicas: a replica stores only its share, so a message of its
     *                     share can be newer than all it stored and lower than what the others acknowledged without
     *                     the node having restarted its counter (the acknowledgements carry no time). A replica then
     *                     counts a lower number not missing as a duplicate, and one below all it knows as known.
     */
    public SequenceTracker(int maxTrackedRanges, boolean detectResets) {
        this(maxTrackedRanges, detectResets, n -> { });
    }

    /**
     * @param forgotten told how many ranges of missing numbers were forgotten beyond the cap (the limit
     *                  {@code max-gap-ranges-per-node} at work: counted, so it is visible, not only as gap totals)
     */
    public SequenceTracker(int maxTrackedRanges, boolean detectResets, LongConsumer forgotten) {
        this.detectResets = detectResets;
        this.forgotten = forgotten;
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
        return observe(seq, timestamp, false);
    }

    /**
     * @param historical the message was sent from the node's journal: a message sent again is never a restarted
     *                   counter (with several replicas the newest messages sent again look newer than anything this
     *                   replica stored), so only a live message can tell of a reset
     */
    public synchronized Outcome observe(long seq, long timestamp, boolean historical) {
        if (seq < 0) {
            throw new IllegalArgumentException("negative sequence number " + seq);
        }
        received++;
        Outcome outcome = classify(seq, timestamp, historical);
        evictBeyondCap();
        lastTimestamp = Math.max(lastTimestamp, timestamp);
        return outcome;
    }

    private Outcome classify(long seq, long timestamp, boolean historical) {
        if (!started) {
            started = true;
            firstSeq = seq;
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
        if (!detectResets) {
            if (seq < firstSeq) {
                extendKnownTo(seq, seq);   // below all this replica knows (the others' acknowledgements ran ahead)
                return Outcome.GAP_FILLED;
            }
            duplicates++;
            return Outcome.DUPLICATE;
        }
        if (!historical && timestamp > lastTimestamp) {
            // a lower live number with a newer timestamp: the node lost its counter (new SD card, reinstall); a
            // message sent again from its journal never tells that
            resets++;
            missing.clear();
            missingTracked = 0;
            forgottenUpTo = -1;
            firstSeq = Math.min(firstSeq, seq);
            lastSeq = seq;
            return Outcome.RESET;
        }
        duplicates++;
        return Outcome.DUPLICATE;
    }

    /**
     * Another replica stored {@code [first, last]} (from its acknowledgement): they are received, fill what is
     * missing among them and extend what is known; numbers already known count as duplicates. Unlike a message,
     * a range carries no source time, so it never counts as a restarted counter: the replica that stored the
     * message saw that.
     */
    public synchronized void storedElsewhere(long first, long last) {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("not a range of sequence numbers: [" + first + ", " + last + "]");
        }
        received = saturatedAdd(received, saturatedAdd(last - first, 1));
        if (!started) {
            started = true;
            firstSeq = first;
            lastSeq = last;
            return;
        }
        long alreadyKnown = 0;
        if (last >= firstSeq && first <= lastSeq) {
            long from = Math.max(first, firstSeq);
            long to = Math.min(last, lastSeq);
            alreadyKnown = saturatedAdd(to - from, 1) - removeMissing(from, to);
        }
        extendKnownTo(first, last);
        duplicates = saturatedAdd(duplicates, alreadyKnown);
        evictBeyondCap();
    }

    /** Adds a missing range; the cap is applied once per change ({@link #evictBeyondCap}), after all its steps. */
    private void addMissing(long first, long last) {
        missing.put(first, last);
        missingTracked = saturatedAdd(missingTracked, last - first + 1);
    }

    /** {@code first}..{@code last} are known now: what lies between them and the known part is missing. */
    private void extendKnownTo(long first, long last) {
        if (first < firstSeq) {
            if (last < firstSeq - 1) {
                addMissing(last + 1, firstSeq - 1);
            }
            firstSeq = first;
        }
        if (last > lastSeq) {
            if (first > lastSeq + 1) {
                addMissing(lastSeq + 1, first - 1);
            }
            lastSeq = last;
        }
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
        return true;
    }

    /** Removes {@code [first, last]} from the missing numbers; how many of them were missing. */
    private long removeMissing(long first, long last) {
        long removed = 0;
        Map.Entry<Long, Long> range = missing.floorEntry(first);
        if (range == null || range.getValue() < first) {
            range = missing.higherEntry(first);
        }
        while (range != null && range.getKey() <= last) {
            long rangeFirst = range.getKey();
            long rangeLast = range.getValue();
            long from = Math.max(rangeFirst, first);
            long to = Math.min(rangeLast, last);
            missing.remove(rangeFirst);
            if (rangeFirst < from) {
                missing.put(rangeFirst, from - 1);
            }
            if (to < rangeLast) {
                missing.put(to + 1, rangeLast);
            }
            removed = saturatedAdd(removed, to - from + 1);
            range = to == Long.MAX_VALUE ? null : missing.higherEntry(to);
        }
        missingTracked -= removed;
        return removed;
    }

    private void evictBeyondCap() {
        long evicted = 0;
        while (missing.size() > maxTrackedRanges) {
            Map.Entry<Long, Long> oldest = missing.pollFirstEntry();
            long size = oldest.getValue() - oldest.getKey() + 1;
            missingTracked -= size;
            missingForgotten = saturatedAdd(missingForgotten, size);
            forgottenUpTo = Math.max(forgottenUpTo, oldest.getValue());
            evicted++;
        }
        if (evicted > 0) {
            rangesForgotten += evicted;
            forgotten.accept(evicted);
        }
    }

    /** Ranges of missing numbers forgotten beyond the cap so far (their numbers stay counted as gaps). */
    public synchronized long rangesForgotten() {
        return rangesForgotten;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(started ? lastSeq : -1, received, saturatedAdd(missingTracked, missingForgotten),
                duplicates, resets);
    }

    /**
     * What this replica knows of the stream, for the others ({@link #merge}): from {@code first} to {@code last}
     * every number is stored except those {@code missing} (all the ranges tracked, at most the cap). Empty before
     * anything is known. Numbers forgotten beyond the cap are left out of it.
     */
    public synchronized java.util.Optional<View> view() {
        long from = Math.max(firstSeq, forgottenUpTo + 1);
        if (!started || from > lastSeq) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new View(from, lastSeq, missingRanges(Integer.MAX_VALUE)));
    }

    /**
     * Takes another replica's view of the stream: what it knows stored is stored (it fills what is missing here),
     * and what it knows beyond what this replica knows, below or above, is taken with its missing numbers. So every
     * replica ends with what all of them know, whatever acknowledgements one missed (joined late, its connection
     * cut). Costs O(log ranges) per range of either view.
     */
    public synchronized void merge(View theirs) {
        long first = theirs.first();
        long last = theirs.last();
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("not a view of sequence numbers: " + first + ".." + last);
        }
        // what they know beyond what this replica knows starts as missing, then what they know stored is filled
        if (!started) {
            started = true;
            firstSeq = first;
            lastSeq = last;
            addMissing(first, last);
        } else {
            if (first < firstSeq) {
                addMissing(first, firstSeq - 1);
                firstSeq = first;
            }
            if (last > lastSeq) {
                addMissing(lastSeq + 1, last);
                lastSeq = last;
            }
        }
        long from = first;
        for (long[] gap : theirs.missing()) {   // ascending and disjoint (the decoder checks), within the view
            if (gap[0] > from) {
                received = saturatedAdd(received, removeMissing(from, Math.min(gap[0] - 1, last)));
            }
            if (gap[1] >= last) {
                from = -1;
                break;
            }
            from = Math.max(from, gap[1] + 1);
        }
        if (from >= 0) {
            received = saturatedAdd(received, removeMissing(from, last));
        }
        // once, at the end: the extension added above as missing is mostly filled again, and must not push real
        // gaps out beyond the cap on its way
        evictBeyondCap();
    }

    /** What a replica knows of a node's stream ({@link #view}). */
    public record View(long first, long last, List<long[]> missing) {
        public View {
            missing = List.copyOf(missing);
        }
    }

    /** The lowest missing ranges remembered now, at most {@code max}, each {first, last}. */
    public synchronized List<long[]> missingRanges(int max) {
        List<long[]> ranges = new java.util.ArrayList<>(Math.min(max, missing.size()));
        for (Map.Entry<Long, Long> range : missing.entrySet()) {
            if (ranges.size() >= max) {
                break;
            }
            ranges.add(new long[]{range.getKey(), range.getValue()});
        }
        return ranges;
    }

    /** Ranges of missing numbers remembered now (at most the cap). */
    synchronized int trackedRanges() {
        return missing.size();
    }

    /**
     * @param gaps sequence numbers that have not arrived (still missing now)
     */
    public record Snapshot(long lastSeq, long received, long gaps, long duplicates, long resets) {

        /** A stream of which nothing was received. */
        public static final Snapshot EMPTY = new Snapshot(0, 0, 0, 0, 0);
    }
}
