package io.iiotroutes.edge.sampling;

import io.iiotroutes.edge.driver.ChannelResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleAccumulatorTest {

    @Test
    void averagesValuesAndRoundsTheMeanCounts() {
        SampleAccumulator acc = new SampleAccumulator();
        acc.add(ChannelResult.ok("a", 1.0, 10L));
        acc.add(ChannelResult.ok("a", 2.0, 11L));
        acc.add(ChannelResult.failure("a", "nack"));
        assertTrue(acc.anySuccess());
        assertEquals(1.5, acc.mean(), 1e-12);
        assertEquals(11L, acc.meanRaw(), "10.5 rounds up");
        assertEquals(1, acc.failures());
        assertEquals("nack", acc.lastError());
    }

    @Test
    void noCountsWithoutAnAdcAndNothingWithoutASuccess() {
        SampleAccumulator acc = new SampleAccumulator();
        acc.add(ChannelResult.ok("a", 4.0, null));
        assertNull(acc.meanRaw());
        SampleAccumulator failed = new SampleAccumulator();
        failed.add(ChannelResult.failure("a", "x"));
        assertFalse(failed.anySuccess());
    }
}
