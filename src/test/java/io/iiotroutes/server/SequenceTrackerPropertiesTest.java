package io.iiotroutes.server;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Completeness tracking against generated streams: the same answers as a plain set of missing numbers where that
 * is affordable, and bounded time and memory where it is not (jumps up to Long.MAX_VALUE).
 */
class SequenceTrackerPropertiesTest {

    /** One arrival: a sequence number and its source timestamp. */
    record Arrival(long seq, long ts) {
    }

    @Provide
    Arbitrary<List<Arrival>> smallStreams() {
        // small numbers, so a reference model that lists every missing number stays cheap
        Arbitrary<Arrival> arrival = Combinators.combine(Arbitraries.longs().between(0, 300),
                Arbitraries.longs().between(0, 1_000)).as(Arrival::new);
        return arrival.list().ofMaxSize(200);
    }

    @Property(tries = 300)
    void agreesWithAPlainSetOfMissingNumbers(@ForAll("smallStreams") List<Arrival> stream) {
        SequenceTracker tracker = new SequenceTracker(10_000);
        Reference reference = new Reference();
        for (Arrival a : stream) {
            assertEquals(reference.observe(a.seq(), a.ts()), tracker.observe(a.seq(), a.ts()), "arrival " + a);
        }
        assertEquals(reference.snapshot(), tracker.snapshot());
    }

    @Provide
    Arbitrary<List<Long>> extremeStreams() {
        Arbitrary<Long> seq = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, Long.MAX_VALUE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0L, 1L, 2L, 1L << 50, Long.MAX_VALUE - 1, Long.MAX_VALUE)));
        return seq.list().ofMinSize(1).ofMaxSize(2_000);
    }

    @Property(tries = 100)
    void anyJumpCostsTheSameAndTheRangesStayCapped(@ForAll("extremeStreams") List<Long> seqs,
                                                   @ForAll @IntRange(min = 1, max = 50) int cap) {
        SequenceTracker tracker = new SequenceTracker(cap);
        long slowest = 0;
        long ts = 0;
        for (long seq : seqs) {
            long start = System.nanoTime();
            tracker.observe(seq, ts++);
            slowest = Math.max(slowest, System.nanoTime() - start);
            assertTrue(tracker.trackedRanges() <= cap, "ranges " + tracker.trackedRanges() + " over the cap " + cap);
        }
        SequenceTracker.Snapshot snapshot = tracker.snapshot();
        // generous for a GC pause on a busy machine; a loop over the numbers of a 2^50 jump would take days
        assertTrue(slowest < 50_000_000, "slowest arrival took " + slowest / 1000 + " us");
        assertEquals(seqs.size(), snapshot.received());
        assertTrue(snapshot.gaps() >= 0, "gaps never overflow: " + snapshot.gaps());
    }

    @Property(tries = 200)
    void aJumpIsCountedExactlyAndFilledOneByOne(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 3) long first,
                                                @ForAll @LongRange(min = 2, max = Long.MAX_VALUE) long jump) {
        long last = first + Math.min(jump, Long.MAX_VALUE - first);
        SequenceTracker tracker = new SequenceTracker(3);
        tracker.observe(first, 1);
        tracker.observe(last, 2);
        long missing = last - first - 1;
        assertEquals(missing, tracker.snapshot().gaps());
        if (missing >= 1) {
            assertEquals(SequenceTracker.Outcome.GAP_FILLED, tracker.observe(first + 1, 3));
            assertEquals(missing - 1, tracker.snapshot().gaps());
            assertEquals(SequenceTracker.Outcome.DUPLICATE, tracker.observe(first + 1, 0));
        }
    }

    @Property(tries = 100)
    void forgottenRangesStayCountedAsMissing(@ForAll @Size(min = 1, max = 300) List<@LongRange(min = 2, max = 1_000_000) Long> jumps,
                                             @ForAll @IntRange(min = 1, max = 20) int cap) {
        SequenceTracker tracker = new SequenceTracker(cap);
        long seq = 0;
        long missing = 0;
        tracker.observe(seq, 0);
        for (long jump : jumps) {
            seq += jump;
            missing += jump - 1;
            tracker.observe(seq, seq);
        }
        assertEquals(missing, tracker.snapshot().gaps());
        assertTrue(tracker.trackedRanges() <= cap);
    }

    /** A range [first, first + length] stored by another replica. */
    record StoredRange(long first, long length) {
    }

    @Provide
    Arbitrary<List<StoredRange>> smallRanges() {
        return Combinators.combine(Arbitraries.longs().between(0, 300), Arbitraries.longs().between(0, 20))
                .as(StoredRange::new).list().ofMaxSize(100);
    }

    /**
     * Ranges from the other replicas: the same gaps, duplicates and counts as a plain set of stored numbers, where
     * a number is missing when it lies between the lowest and the highest stored and was not stored.
     */
    @Property(tries = 300)
    void rangesFromOtherReplicasAgreeWithAPlainSetOfStoredNumbers(@ForAll("smallRanges") List<StoredRange> ranges) {
        SequenceTracker tracker = new SequenceTracker(10_000);
        Set<Long> stored = new TreeSet<>();
        long received = 0;
        long duplicates = 0;
        for (StoredRange range : ranges) {
            tracker.storedElsewhere(range.first(), range.first() + range.length());
            for (long seq = range.first(); seq <= range.first() + range.length(); seq++) {
                received++;
                if (!stored.add(seq)) {
                    duplicates++;
                }
            }
        }
        SequenceTracker.Snapshot snapshot = tracker.snapshot();
        if (stored.isEmpty()) {
            assertEquals(-1, snapshot.lastSeq());
            return;
        }
        long lowest = ((TreeSet<Long>) stored).first();
        long highest = ((TreeSet<Long>) stored).last();
        assertEquals(highest, snapshot.lastSeq());
        assertEquals(received, snapshot.received());
        assertEquals(duplicates, snapshot.duplicates());
        assertEquals(highest - lowest + 1 - stored.size(), snapshot.gaps());
    }

    /**
     * Two replicas that each stored part of a stream, merging each other's views, end with the same view: what
     * either knows stored, from the lowest to the highest number either knows.
     */
    @Property(tries = 200)
    void replicasMergingTheirViewsAgree(@ForAll("smallRanges") List<StoredRange> a, @ForAll("smallRanges") List<StoredRange> b) {
        SequenceTracker one = new SequenceTracker(10_000);
        SequenceTracker two = new SequenceTracker(10_000);
        Set<Long> stored = new TreeSet<>();
        a.forEach(r -> one.storedElsewhere(r.first(), r.first() + r.length()));
        b.forEach(r -> two.storedElsewhere(r.first(), r.first() + r.length()));
        a.forEach(r -> { for (long s = r.first(); s <= r.first() + r.length(); s++) { stored.add(s); } });
        b.forEach(r -> { for (long s = r.first(); s <= r.first() + r.length(); s++) { stored.add(s); } });

        one.view().ifPresent(two::merge);
        two.view().ifPresent(one::merge);

        if (stored.isEmpty()) {
            assertTrue(one.view().isEmpty() && two.view().isEmpty());
            return;
        }
        long lowest = ((TreeSet<Long>) stored).first();
        long highest = ((TreeSet<Long>) stored).last();
        for (SequenceTracker replica : List.of(one, two)) {
            SequenceTracker.View view = replica.view().orElseThrow();
            assertEquals(lowest, view.first());
            assertEquals(highest, view.last());
            assertEquals(highest - lowest + 1 - stored.size(), replica.snapshot().gaps());
        }
    }

    /** The obvious implementation, one entry per missing number: right, and affordable only for small numbers. */
    static final class Reference {
        private final Set<Long> missing = new TreeSet<>();
        private boolean started;
        private long lastSeq;
        private long lastTs = Long.MIN_VALUE;
        private long received;
        private long duplicates;
        private long resets;

        SequenceTracker.Outcome observe(long seq, long ts) {
            received++;
            SequenceTracker.Outcome outcome;
            if (!started) {
                started = true;
                lastSeq = seq;
                outcome = SequenceTracker.Outcome.FIRST;
            } else if (seq == lastSeq + 1) {
                lastSeq = seq;
                outcome = SequenceTracker.Outcome.NEXT;
            } else if (seq > lastSeq) {
                for (long s = lastSeq + 1; s < seq; s++) {
                    missing.add(s);
                }
                lastSeq = seq;
                outcome = SequenceTracker.Outcome.GAP;
            } else if (missing.remove(seq)) {
                outcome = SequenceTracker.Outcome.GAP_FILLED;
            } else if (ts > lastTs) {
                resets++;
                missing.clear();
                lastSeq = seq;
                outcome = SequenceTracker.Outcome.RESET;
            } else {
                duplicates++;
                outcome = SequenceTracker.Outcome.DUPLICATE;
            }
            lastTs = Math.max(lastTs, ts);
            return outcome;
        }

        SequenceTracker.Snapshot snapshot() {
            return new SequenceTracker.Snapshot(started ? lastSeq : -1, received, missing.size(), duplicates, resets);
        }
    }
}
