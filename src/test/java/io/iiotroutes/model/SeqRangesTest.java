package io.iiotroutes.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeqRangesTest {

    @Test
    void neighboursAndOverlapsMerge() {
        SeqRanges ranges = new SeqRanges(10);
        ranges.add(5, 7);
        ranges.add(1, 2);
        ranges.add(3);
        ranges.add(10, 20);
        ranges.add(8, 9);

        assertEquals("[1..3, 5..20]", ranges.toString());
        ranges.add(4);
        assertEquals("[1..20]", ranges.toString());
        ranges.add(Long.MAX_VALUE - 1, Long.MAX_VALUE);
        ranges.add(Long.MAX_VALUE);
        assertEquals("[1..20, " + (Long.MAX_VALUE - 1) + ".." + Long.MAX_VALUE + "]", ranges.toString());
    }

    @Test
    void beyondTheCapTheHighestRangesAreForgottenAndCounted() {
        SeqRanges ranges = new SeqRanges(2);
        ranges.add(1);
        ranges.add(10, 19);
        ranges.add(5);

        assertEquals("[1, 5]", ranges.toString());
        assertEquals(10, ranges.forgotten());
        assertFalse(ranges.contains(10));

        SeqRanges one = new SeqRanges(1);
        one.add(0);
        one.add(2, Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE - 1, one.forgotten());
        one.add(4, Long.MAX_VALUE);   // more than a long can count: the count saturates
        assertEquals(Long.MAX_VALUE, one.forgotten());
    }

    @Test
    void removeThroughCutsInsideARange() {
        SeqRanges ranges = new SeqRanges(10);
        ranges.add(1, 10);
        ranges.add(20, 30);
        ranges.removeThrough(25);

        assertEquals("[26..30]", ranges.toString());
        ranges.removeThrough(Long.MAX_VALUE);
        assertTrue(ranges.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> ranges.add(3, 2));
    }
}
