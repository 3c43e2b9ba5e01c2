package io.iiotroutes.model;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ranges against a plain set of numbers, where that is affordable, and against huge ranges where it is not. */
class SeqRangesPropertiesTest {

    @Provide
    Arbitrary<List<long[]>> smallRanges() {
        return Arbitraries.longs().between(0, 200).flatMap(first -> Arbitraries.longs().between(0, 6)
                .map(width -> new long[]{first, first + width})).list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void holdsExactlyTheNumbersAddedAsDisjointNonAdjacentRanges(@ForAll("smallRanges") List<long[]> added,
                                                                 @ForAll("cut") long cut) {
        SeqRanges ranges = new SeqRanges(1_000);
        TreeSet<Long> model = new TreeSet<>();
        for (long[] range : added) {
            ranges.add(range[0], range[1]);
            for (long n = range[0]; n <= range[1]; n++) {
                model.add(n);
            }
        }
        ranges.removeThrough(cut);
        model.headSet(cut, true).clear();

        for (long n = -1; n <= 210; n++) {
            assertEquals(model.contains(n), ranges.contains(n), "number " + n + " in " + ranges);
        }
        List<long[]> list = ranges.toList();
        for (int i = 1; i < list.size(); i++) {
            assertTrue(list.get(i)[0] > list.get(i - 1)[1] + 1, "ranges are merged: " + ranges);
        }
    }

    @Provide
    Arbitrary<Long> cut() {
        return Arbitraries.longs().between(-1, 210);
    }

    @Property(tries = 200)
    void hugeRangesCostNoMoreThanSmallOnesAndTheCapHolds(@ForAll("huge") List<long[]> added) {
        SeqRanges ranges = new SeqRanges(16);
        for (long[] range : added) {
            ranges.add(range[0], range[1]);
            assertTrue(ranges.rangeCount() <= 16);
            assertTrue(ranges.contains(range[0]) || ranges.forgotten() > 0);
        }
    }

    @Provide
    Arbitrary<List<long[]>> huge() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE).list().ofSize(2)
                .map(pair -> new long[]{Math.min(pair.get(0), pair.get(1)), Math.max(pair.get(0), pair.get(1))})
                .list().ofMaxSize(100);
    }
}
