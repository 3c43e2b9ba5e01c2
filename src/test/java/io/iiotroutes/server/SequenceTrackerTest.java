package io.iiotroutes.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.iiotroutes.server.SequenceTracker.Outcome.DUPLICATE;
import static io.iiotroutes.server.SequenceTracker.Outcome.FIRST;
import static io.iiotroutes.server.SequenceTracker.Outcome.GAP;
import static io.iiotroutes.server.SequenceTracker.Outcome.GAP_FILLED;
import static io.iiotroutes.server.SequenceTracker.Outcome.NEXT;
import static io.iiotroutes.server.SequenceTracker.Outcome.RESET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void rangesForgottenBeyondTheCapAreCountedOncePerChange() {
        List<Long> told = new java.util.ArrayList<>();
        SequenceTracker tracker = new SequenceTracker(3, true, told::add);
        tracker.observe(0, 1000);
        for (long seq = 2; seq <= 10; seq += 2) {
            tracker.observe(seq, 1000 + seq);   // five gaps of one number: two forgotten
        }
        tracker.merge(new SequenceTracker.View(100, 120, List.of(new long[]{101, 101}, new long[]{103, 103})));

        assertEquals(List.of(1L, 1L, 3L), told, "the merge added three ranges beyond the cap in one change");
        assertEquals(5, tracker.rangesForgotten());
        assertEquals(3, tracker.trackedRanges());
    }

    @Test
    void rangesStoredByOtherReplicasCompleteTheStream() {
        SequenceTracker tracker = new SequenceTracker(100);
        // this replica stored every third message; the others acknowledged the rest a moment later
        for (long seq = 1; seq <= 30; seq += 3) {
            tracker.observe(seq, seq * 1000);
        }
        assertEquals(18, tracker.snapshot().gaps());

        for (long seq = 2; seq <= 30; seq += 3) {
            tracker.storedElsewhere(seq, seq + 1);
        }

        assertEquals(new SequenceTracker.Snapshot(30, 30, 0, 0, 0), tracker.snapshot());
        assertEquals(0, tracker.trackedRanges());
    }

    @Test
    void aRangeBeyondTheLastOneLeavesAGapAndOneBelowTheFirstExtendsWhatIsKnown() {
        SequenceTracker tracker = new SequenceTracker(100);
        tracker.observe(50, 50_000);

        tracker.storedElsewhere(60, 69);
        assertEquals(9, tracker.snapshot().gaps(), "51..59");
        tracker.storedElsewhere(10, 19);
        assertEquals(9 + 30, tracker.snapshot().gaps(), "and 20..49: numbered before what this replica saw first");
        tracker.storedElsewhere(15, 55);

        assertEquals(new SequenceTracker.Snapshot(69, 1 + 10 + 10 + 41, 4, 5 + 1, 0), tracker.snapshot());
    }

    @Test
    void aRangeAsLongAsTheNumbersGoCostsTheSameAsAShortOne() {
        SequenceTracker tracker = new SequenceTracker(10);
        tracker.observe(0, 0);
        for (long seq = 2; seq < 40; seq += 2) {
            tracker.observe(seq, seq);   // 19 holes, the oldest forgotten beyond the cap of 10
        }

        tracker.storedElsewhere(0, Long.MAX_VALUE);

        SequenceTracker.Snapshot after = tracker.snapshot();
        assertEquals(Long.MAX_VALUE, after.lastSeq());
        assertEquals(9, after.gaps(), "the forgotten numbers stay missing: a late arrival of one is not known");
        assertEquals(Long.MAX_VALUE, after.received(), "saturated, not overflowed");
        assertEquals(0, tracker.trackedRanges());
    }

    @Test
    void aReplicaCountsLowerNumbersAsDuplicatesOrAsKnownNeverAsAReset() {
        SequenceTracker replica = new SequenceTracker(100, false);
        replica.storedElsewhere(100, 130);   // the others' acknowledgements ran ahead of this replica's share

        assertEquals(GAP_FILLED, replica.observe(90, 90_000), "below all it knew: known now");
        assertEquals(9, replica.snapshot().gaps(), "91..99, for the others' acknowledgements to fill");
        // a message of its share newer than all it stored, lower than what the others stored: no reset
        assertEquals(DUPLICATE, replica.observe(120, 120_000));
        assertEquals(0, replica.snapshot().resets());
    }

    @Test
    void aMessageSentAgainFromTheJournalIsNoReset() {
        SequenceTracker tracker = new SequenceTracker(100);
        tracker.observe(10, 10_000);
        tracker.observe(11, 11_000);

        assertEquals(DUPLICATE, tracker.observe(10, 40_000, true), "historical: sent again, whatever its time");
        assertEquals(RESET, tracker.observe(1, 41_000), "a lower live number newer than everything is a reset");
    }

    @Test
    void aRangeThatIsNoRangeIsRefused() {
        SequenceTracker tracker = new SequenceTracker(10);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> tracker.storedElsewhere(5, 4));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> tracker.storedElsewhere(-1, 4));
    }

    @Test
    void aReplicaThatMissedAcknowledgementsTakesWhatTheOthersKnow() {
        SequenceTracker late = new SequenceTracker(100);   // joined at seq 1150, and missed the acknowledgement of 1157
        late.storedElsewhere(1150, 1156);
        late.storedElsewhere(1158, 1200);
        SequenceTracker others = new SequenceTracker(100);
        others.storedElsewhere(1, 1200);
        others.observe(1300, 1);   // 1201..1299 really missing, on every replica

        late.merge(others.view().orElseThrow());

        SequenceTracker.Snapshot merged = late.snapshot();
        assertEquals(1300, merged.lastSeq());
        assertEquals(99, merged.gaps(), "the real gap stays, the one it only missed is filled");
        assertEquals(1201, merged.received());
        assertEquals(List.of(List.of(1201L, 1299L)), late.missingRanges(10).stream().map(r -> List.of(r[0], r[1])).toList());
        late.merge(others.view().orElseThrow());
        assertEquals(merged, late.snapshot(), "merging the same view again changes nothing");
    }

    @Test
    void mergingAViewAtTheCapKeepsTheRealGapsTracked() {
        SequenceTracker tracker = new SequenceTracker(2);
        tracker.observe(0, 0);
        tracker.observe(2, 2);
        tracker.observe(4, 4);   // missing 1 and 3: the cap
        SequenceTracker others = new SequenceTracker(2);
        others.storedElsewhere(5, 1000);

        tracker.merge(others.view().orElseThrow());

        assertEquals(2, tracker.trackedRanges(), "the extension, filled again, pushed nothing out");
        assertEquals(GAP_FILLED, tracker.observe(1, 1), "so a late arrival still fills its gap");
        assertEquals(1, tracker.snapshot().gaps());
    }

    @Test
    void aViewLeavesOutWhatWasForgottenBeyondTheCap() {
        SequenceTracker tracker = new SequenceTracker(2);
        tracker.observe(0, 0);
        tracker.observe(2, 2);
        tracker.observe(4, 4);
        tracker.observe(6, 6);   // missing 1, 3, 5: 1 forgotten

        SequenceTracker.View view = tracker.view().orElseThrow();

        assertEquals(2, view.first(), "1 is forgotten: not claimed stored");
        assertEquals(6, view.last());
        assertEquals(List.of(List.of(3L, 3L), List.of(5L, 5L)), view.missing().stream().map(r -> List.of(r[0], r[1])).toList());
        assertTrue(new SequenceTracker(2).view().isEmpty());
    }
}
