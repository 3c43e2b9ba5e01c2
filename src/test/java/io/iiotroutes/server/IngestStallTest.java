package io.iiotroutes.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestStallTest {

    private final IngestStall stall = new IngestStall(Duration.ofSeconds(30));

    @Test
    void idleOrFlowingIsNoStall() {
        assertTrue(stall.stalled(new IngestStall.Sample(0, 0, 3_600_000)).isEmpty(), "idle for an hour");
        assertTrue(stall.stalled(new IngestStall.Sample(500, 40_000, 100)).isEmpty(), "a backlog that is moving");
        assertTrue(stall.stalled(new IngestStall.Sample(3, 10_000, 90_000)).isEmpty(), "a fresh message after a quiet time");
    }

    @Test
    void waitingMessagesWithNothingStoredForTheThresholdAreAStallThatSaysHowLong() {
        assertEquals("12 message(s) in flight, none stored for 45 s (oldest waiting 50 s; threshold 30 s)",
                stall.stalled(new IngestStall.Sample(12, 50_000, 45_000)).orElseThrow());
        assertEquals("1 message(s) in flight, none stored for 31 s (oldest waiting 31 s; threshold 30 s)",
                stall.stalled(new IngestStall.Sample(1, 31_000, -1)).orElseThrow(), "never stored anything");
    }
}
