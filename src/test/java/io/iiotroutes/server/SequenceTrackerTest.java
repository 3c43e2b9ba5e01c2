package io.iiotroutes.server;

import org.junit.jupiter.api.Test;

import static io.iiotroutes.server.SequenceTracker.Outcome.DUPLICATE;
import static io.iiotroutes.server.SequenceTracker.Outcome.FIRST;
import static io.iiotroutes.server.SequenceTracker.Outcome.GAP;
import static io.iiotroutes.server.SequenceTracker.Outcome.GAP_FILLED;
import static io.iiotroutes.server.SequenceTracker.Outcome.NEXT;
import static io.iiotroutes.server.SequenceTracker.Outcome.RESET;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SequenceTrackerTest {

    @Test
    void anUnbrokenStreamHasNoGapsOrDuplicates() {
        SequenceTracker tracker = new SequenceTracker(100);

        assertEquals(FIRST, tracker.observe(41, 41000));
        assertEquals(NEXT, tracker.observe(42, 42000));
        assertEquals(NEXT, tracker.observe(43, 43000));

        assertEquals(new SequenceTracker.Snapshot(43, 3, 0, 0, 0), tracker.snapshot());
    }

    @Test
    void countsMissingNumbersUntilTheyArriveLate() {
        SequenceTracker tracker = new SequenceTracker(100);
        tracker.observe(1, 1000);

        assertEquals(GAP, tracker.observe(5, 5000));
        assertEquals(3, tracker.snapshot().gaps());
        assertEquals(GAP_FILLED, tracker.observe(3, 3000));
        assertEquals(2, tracker.snapshot().gaps());
        assertEquals(GAP_FILLED, tracker.observe(2, 2000));
        assertEquals(GAP_FILLED, tracker.observe(4, 4000));

        assertEquals(new SequenceTracker.Snapshot(5, 5, 0, 0, 0), tracker.snapshot());
    }

    @Test
    void countsRedeliveriesAsDuplicates() {
        SequenceTracker tracker = new SequenceTracker(100);
        tracker.observe(1, 1000);
        tracker.observe(2, 2000);

        assertEquals(DUPLICATE, tracker.observe(2, 2000));
        assertEquals(DUPLICATE, tracker.observe(1, 1000));

        assertEquals(new SequenceTracker.Snapshot(2, 4, 0, 2, 0), tracker.snapshot());
    }

    @Test
    void aRestartedCounterIsAResetNotAFloodOfDuplicates() {
        SequenceTracker tracker = new SequenceTracker(100);
        tracker.observe(500, 500_000);

        assertEquals(RESET, tracker.observe(1, 501_000));
        assertEquals(NEXT, tracker.observe(2, 502_000));

        assertEquals(new SequenceTracker.Snapshot(2, 3, 0, 0, 1), tracker.snapshot());
    }

    @Test
    void forgottenMissingNumbersStayCounted() {
        SequenceTracker tracker = new SequenceTracker(2);
        tracker.observe(1, 1000);

        tracker.observe(6, 6000);

        assertEquals(4, tracker.snapshot().gaps());
    }
}
