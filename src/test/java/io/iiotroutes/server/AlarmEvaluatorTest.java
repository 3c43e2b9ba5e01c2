package io.iiotroutes.server;

import io.iiotroutes.edge.TestClock;
import io.iiotroutes.node.AlarmConfig;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import io.iiotroutes.server.AlarmEvaluator.AckOutcome;
import io.iiotroutes.server.AlarmEvaluator.AlarmEvent;
import io.iiotroutes.server.AlarmEvaluator.EventType;
import io.iiotroutes.server.AlarmEvaluator.Level;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlarmEvaluatorTest {

    private final TestClock clock = new TestClock(1_000_000);
    private final AlarmEvaluator alarms = new AlarmEvaluator(100, clock);

    private List<AlarmEvent> good(double value) {
        return alarms.evaluate("s", "n", "ai1", value, Quality.GOOD, "bar");
    }

    private static String summary(List<AlarmEvent> events) {
        return events.stream().map(e -> e.event() + " " + e.level()).toList().toString();
    }

    @Test
    void raisesAtTheLimitAndClearsOnlyPastTheHysteresis() {
        alarms.configure("s", "n", "ai1", new AlarmConfig(null, 8.0, 2.0, null, 0.5, 0L), "bar");

        assertEquals("[]", summary(good(7.9)));
        List<AlarmEvent> raised = good(8.0);
        assertEquals("[RAISED H]", summary(raised));
        assertEquals(8.0, raised.get(0).limit());
        assertEquals(8.0, raised.get(0).value());
        assertEquals("bar", raised.get(0).unit());
        assertEquals(clock.millis(), raised.get(0).time());
        assertEquals("[]", summary(good(7.6)), "inside the hysteresis band: still H");
        assertEquals("[]", summary(good(8.3)), "no second raise while active");
        assertEquals("[CLEARED H]", summary(good(7.5)));
        assertEquals(raised.get(0).id(), alarms.recent().get(0).id(), "the clear names the raised alarm");
        assertTrue(alarms.active().isEmpty());

        assertEquals("[RAISED L]", summary(good(1.9)));
        assertEquals("[]", summary(good(2.4)));
        assertEquals("[CLEARED L]", summary(good(2.5)));
    }

    @Test
    void escalatesAndFallsBackBetweenHAndHh() {
        alarms.configure("s", "n", "ai1", new AlarmConfig(10.0, 8.0, null, 1.0, 0.5, 0L), "bar");

        assertEquals("[RAISED H]", summary(good(8.5)));
        assertEquals("[CLEARED H, RAISED HH]", summary(good(10.2)));
        assertEquals(Level.HH, alarms.active().get(0).level());
        assertEquals("[]", summary(good(9.6)));
        assertEquals("[CLEARED HH, RAISED H]", summary(good(9.4)));
        assertEquals("[CLEARED H]", summary(good(5.0)));
        assertEquals("[RAISED LL]", summary(good(0.5)), "straight to LL when there is no L");
        assertEquals("[CLEARED LL]", summary(good(1.6)));
    }

    @Test
    void aChangeTakesEffectOnlyAfterHoldingForTheDelay() {
        alarms.configure("s", "n", "ai1", new AlarmConfig(null, 8.0, null, null, 0.0, 3000L), "bar");

        assertEquals("[]", summary(good(9.0)));
        clock.advance(2000);
        assertEquals("[]", summary(good(9.1)));
        clock.advance(500);
        assertEquals("[]", summary(good(7.0)), "dropped below before the delay passed: nothing raised");
        assertEquals("[]", summary(alarms.due()));
        clock.advance(5000);
        assertEquals("[]", summary(alarms.due()), "nothing pending any more");

        assertEquals("[]", summary(good(9.0)));
        clock.advance(2999);
        assertEquals("[]", summary(alarms.due()));
        clock.advance(1);
        List<AlarmEvent> raised = alarms.due();
        assertEquals("[RAISED H]", summary(raised), "raised by the periodic check, without a new reading");
        assertEquals(clock.millis(), raised.get(0).time());

        assertEquals("[]", summary(good(7.0)), "the clear waits for the delay too");
        clock.advance(3000);
        assertEquals("[CLEARED H]", summary(good(7.1)));
    }

    @Test
    void badQualityNeitherRaisesNorClearsAndRestartsTheDelay() {
        alarms.configure("s", "n", "ai1", new AlarmConfig(null, 8.0, null, null, 0.0, 1000L), "bar");

        assertEquals("[]", summary(good(9.0)));
        clock.advance(600);
        assertEquals("[]", summary(alarms.evaluate("s", "n", "ai1", null, Quality.BAD, "bar")));
        clock.advance(600);
        assertEquals("[]", summary(alarms.due()), "no value since the BAD reading: nothing to decide on");
        assertEquals("[]", summary(good(9.0)));
        clock.advance(1000);
        assertEquals("[RAISED H]", summary(alarms.due()));

        assertEquals("[]", summary(alarms.evaluate("s", "n", "ai1", 1.0, Quality.BAD, "bar")));
        clock.advance(5000);
        assertEquals("[]", summary(alarms.due()));
        assertEquals(1, alarms.active().size(), "a BAD reading does not clear an active alarm");
        assertEquals("[]", summary(alarms.evaluate("s", "n", "ai1", 9.5, Quality.UNCERTAIN, "bar")));
    }

    @Test
    void acknowledgeOnceAndANewAlarmNeedsANewAcknowledgement() {
        alarms.configure("s", "n", "ai1", new AlarmConfig(10.0, 8.0, null, null, 0.0, 0L), "bar");
        long id = good(8.5).get(0).id();
        assertFalse(alarms.active().get(0).acknowledged());

        clock.advance(100);
        AlarmEvaluator.AckResult ack = alarms.acknowledge(id);
        assertEquals(AckOutcome.ACKNOWLEDGED, ack.outcome());
        assertEquals(EventType.ACKNOWLEDGED, ack.event().event());
        assertEquals(clock.millis(), ack.event().time());
        assertTrue(alarms.active().get(0).acknowledged());
        assertEquals(clock.millis(), alarms.active().get(0).acknowledgedAt());
        assertEquals(AckOutcome.ALREADY_ACKNOWLEDGED, alarms.acknowledge(id).outcome());
        assertNull(alarms.acknowledge(id).event());
        assertEquals(AckOutcome.UNKNOWN, alarms.acknowledge(12345).outcome());

        List<AlarmEvent> escalated = good(11.0);
        long hhId = escalated.get(1).id();
        assertTrue(hhId != id);
        assertFalse(alarms.active().get(0).acknowledged(), "escalation is a new alarm");
        assertEquals(AckOutcome.UNKNOWN, alarms.acknowledge(id).outcome(), "the H alarm is gone");
        good(5.0);
        assertEquals(AckOutcome.UNKNOWN, alarms.acknowledge(hhId).outcome(), "a cleared alarm cannot be acknowledged");
    }

    @Test
    void channelsWithoutLimitsAndMessagesWithSeveralReadings() {
        alarms.configure("s", "n", "ai1", new AlarmConfig(null, 8.0, null, null, null, null), "bar");
        alarms.configure("s", "n", "ai2", new AlarmConfig(null, null, null, null, null, null), "bar");
        assertFalse(alarms.hasLimits("s", "n", "ai2"));

        NodeMessage message = NodeMessage.live("s", "n", 1, 5, List.of(
                Reading.good("ai1", 9.0, "bar", null), Reading.good("ai2", 99.0, "bar", null),
                Reading.good("ai3", 99.0, "bar", null)));
        assertEquals("[RAISED H]", summary(alarms.evaluate(message)));
        assertEquals("ai1", alarms.active().get(0).channel());
        assertTrue(alarms.active("s", "n", "ai1").isPresent());
        assertTrue(alarms.active("s", "n", "ai2").isEmpty());
    }

    @Test
    void recentEventsAreBounded() {
        AlarmEvaluator small = new AlarmEvaluator(3, clock);
        small.configure("s", "n", "ai1", new AlarmConfig(null, 8.0, null, null, 0.0, 0L), "bar");
        for (int i = 0; i < 5; i++) {
            small.evaluate("s", "n", "ai1", 9.0, Quality.GOOD, "bar");
            small.evaluate("s", "n", "ai1", 7.0, Quality.GOOD, "bar");
        }
        assertEquals(3, small.recent().size());
        assertEquals(EventType.CLEARED, small.recent().get(0).event(), "newest first");
    }

    @Test
    void restoredAlarmsAreNeitherRaisedAgainNorUnacknowledged() {
        AlarmConfig limits = new AlarmConfig(null, 8.0, null, null, 0.5, 0L);
        alarms.configure("s", "n", "ai1", limits, "bar");
        long id = good(9.0).get(0).id();
        alarms.acknowledge(id);
        List<AlarmEvaluator.ActiveAlarm> saved = alarms.active();
        long changedAt = alarms.changedAt("s", "n");

        AlarmEvaluator restarted = new AlarmEvaluator(100, clock);
        restarted.configure("s", "n", "ai1", limits, "bar");
        restarted.configure("s", "n", "ai2", new AlarmConfig(null, null, 1.0, null, 0.0, 0L), "bar");
        AlarmEvaluator.ActiveAlarm onAChannelNowWithoutThatLimit = new AlarmEvaluator.ActiveAlarm(id + 1, "s", "n",
                "ai2", Level.H, 5.0, 6.0, "bar", 1L, false, null);
        AlarmEvaluator.ActiveAlarm onAnUnconfiguredChannel = new AlarmEvaluator.ActiveAlarm(id + 2, "s", "n", "ai9",
                Level.H, 5.0, 6.0, "bar", 1L, false, null);
        assertEquals(1, restarted.restore(new AlarmState(List.of(saved.get(0), onAChannelNowWithoutThatLimit,
                onAnUnconfiguredChannel), java.util.Map.of("s/n", changedAt, "s/unconfigured", 5L))));
        assertEquals(changedAt, restarted.changedAt("s", "n"));
        assertEquals(0, restarted.changedAt("s", "unconfigured"), "only nodes with limits are remembered");

        assertEquals(saved, restarted.active());
        assertEquals("[]", summary(restarted.evaluate("s", "n", "ai1", 9.5, Quality.GOOD, "bar")), "still high: no second raise");
        assertTrue(restarted.active().get(0).acknowledged());
        assertEquals(AckOutcome.ALREADY_ACKNOWLEDGED, restarted.acknowledge(id).outcome());
        List<AlarmEvent> cleared = restarted.evaluate("s", "n", "ai1", 7.0, Quality.GOOD, "bar");
        assertEquals("[CLEARED H]", summary(cleared));
        assertEquals(id, cleared.get(0).id(), "the clear names the alarm raised before the restart");
        clock.advance(1000);
        long next = restarted.evaluate("s", "n", "ai1", 9.0, Quality.GOOD, "bar").get(0).id();
        assertNotEquals(id, next, "a new alarm, a new id");
    }

    @Test
    void replicasEvaluatingTheSameReadingsRaiseTheSameAlarmWithTheSameId() {
        AlarmConfig limits = new AlarmConfig(null, 8.0, null, null, 0.5, 2000L);
        AlarmEvaluator other = new AlarmEvaluator(100, new TestClock(5_000_000));   // another clock: source time counts
        alarms.configure("s", "n", "ai1", limits, "bar");
        other.configure("s", "n", "ai1", limits, "bar");
        List<AlarmEvent> here = new java.util.ArrayList<>();
        List<AlarmEvent> there = new java.util.ArrayList<>();
        for (long t = 0; t <= 8000; t += 1000) {
            double value = t >= 1000 && t < 5000 ? 9.0 : 5.0;
            here.addAll(alarms.evaluate("s", "n", "ai1", value, Quality.GOOD, "bar", 100_000 + t, true));
            there.addAll(other.evaluate("s", "n", "ai1", value, Quality.GOOD, "bar", 100_000 + t, true));
        }

        assertEquals("[RAISED H, CLEARED H]", summary(here));
        assertEquals(here, there, "same events, same ids, same times");
        assertTrue(here.get(0).id() > 0 && here.get(0).id() < (1L << 53), "exact as a JavaScript number");
    }

    @Test
    void anAcknowledgementMadeElsewhereKeepsItsTimeAndCountsOnce() {
        alarms.configure("s", "n", "ai1", new AlarmConfig(null, 8.0, null, null, 0.5, 0L), "bar");
        long id = good(9.0).get(0).id();

        AlarmEvaluator.AckResult first = alarms.acknowledge(id, 123_456L);

        assertEquals(AckOutcome.ACKNOWLEDGED, first.outcome());
        assertEquals(123_456L, first.event().time());
        assertEquals(123_456L, alarms.active().get(0).acknowledgedAt());
        assertEquals(AckOutcome.ALREADY_ACKNOWLEDGED, alarms.acknowledge(id, 200_000L).outcome());
        assertEquals(AckOutcome.UNKNOWN, alarms.acknowledge(id + 1, 200_000L).outcome());
    }

    @Test
    void aReplicaThatWasAwayTakesTheOthersAlarmsWithoutAnnouncingThem() {
        AlarmConfig limits = new AlarmConfig(null, 8.0, null, null, 0.5, 0L);
        alarms.configure("s", "n", "ai1", limits, "bar");
        alarms.configure("s", "n", "ai2", limits, "bar");
        alarms.configure("s", "other", "ai1", limits, "bar");
        long stale = good(9.0).get(0).id();   // ai1 raised here before this replica went away
        alarms.evaluate("s", "other", "ai1", 9.0, Quality.GOOD, "bar");
        AlarmEvaluator.ActiveAlarm theirs = new AlarmEvaluator.ActiveAlarm(42, "s", "n", "ai2", Level.H, 8.0, 9.5,
                "bar", 999L, true, 1000L);
        AlarmEvaluator.ActiveAlarm unknownLevel = new AlarmEvaluator.ActiveAlarm(43, "s", "n", "ai1", Level.LL, 1.0,
                0.5, "bar", 999L, false, null);
        List<AlarmState> saved = new java.util.ArrayList<>();
        alarms.onChange(saved::add);
        long ours = alarms.changedAt("s", "n");

        assertEquals(AlarmEvaluator.Adoption.OURS_NEWER, alarms.adopt("s", "n", List.of(theirs), ours - 1).outcome(),
                "an older state (a lost publication) is not taken");
        assertEquals(AlarmEvaluator.Adoption.SAME, alarms.adopt("s", "n", List.of(theirs), ours).outcome());
        // this replica has evaluated the node's readings past their change (it is not behind: it missed some)
        alarms.evaluate("s", "n", "ai1", 9.0, Quality.GOOD, "bar", ours + 100, true);
        alarms.evaluate("s", "n", "ai2", 5.0, Quality.GOOD, "bar", ours + 100, true);
        saved.clear();
        AlarmEvaluator.Adopted adopted = alarms.adopt("s", "n", List.of(theirs, unknownLevel), ours + 10);
        assertEquals(AlarmEvaluator.Adoption.ADOPTED, adopted.outcome());
        assertEquals(java.util.Set.of("CLEARED " + stale + " @" + (ours + 10), "RAISED 42 @999", "ACKNOWLEDGED 42 @1000"),
                adopted.events().stream().map(e -> e.event() + " " + e.id() + " @" + e.time())
                        .collect(java.util.stream.Collectors.toSet()), "what it implies, to be shown");

        assertEquals(List.of(theirs), alarms.active("s", "n"), "ai1 was cleared meanwhile, ai2 raised and acknowledged");
        assertEquals(ours + 10, alarms.changedAt("s", "n"));
        assertEquals(1, alarms.active("s", "other").size(), "another node's alarms are not touched");
        assertEquals(1, saved.size(), "saved, so a restart keeps the adopted state");
        assertEquals(ours + 10, saved.get(0).changedAt().get("s/n"));
        assertEquals("[]", summary(alarms.evaluate("s", "n", "ai2", 9.0, Quality.GOOD, "bar")), "still high: not raised again");
        assertEquals("[]", summary(alarms.evaluate("s", "n", "ai1", 5.0, Quality.GOOD, "bar")), "nothing to clear");
        assertEquals(AckOutcome.UNKNOWN, alarms.acknowledge(stale).outcome());
    }

    @Test
    void anAcknowledgementCountsFromAStateThatIsNotNewerAndTheEarlierOfTwoRaisesStands() {
        AlarmConfig limits = new AlarmConfig(null, 8.0, null, null, 0.5, 0L);
        alarms.configure("s", "n", "ai1", limits, "bar");
        AlarmEvent raised = good(9.0).get(0);
        AlarmEvaluator.ActiveAlarm mine = alarms.active().get(0);
        AlarmEvaluator.ActiveAlarm acknowledgedElsewhere = new AlarmEvaluator.ActiveAlarm(mine.id(), "s", "n", "ai1",
                Level.H, 8.0, 9.0, "bar", mine.raisedAt(), true, mine.raisedAt() + 5);

        AlarmEvaluator.Adopted older = alarms.adopt("s", "n", List.of(acknowledgedElsewhere), 1);

        assertEquals("[ACKNOWLEDGED H]", summary(older.events()));
        assertTrue(alarms.active().get(0).acknowledged());
        AlarmEvaluator.ActiveAlarm laterRaise = new AlarmEvaluator.ActiveAlarm(7, "s", "n", "ai1", Level.H, 8.0, 9.0,
                "bar", mine.raisedAt() + 1000, false, null);
        alarms.adopt("s", "n", List.of(laterRaise), alarms.changedAt("s", "n") + 1000);
        assertEquals(raised.id(), alarms.active().get(0).id(), "the same condition raised earlier here keeps its id");
    }

    @Test
    void aReplicaBehindInTheStreamEvaluatesItselfAndKeepsAnAcknowledgementForLater() {
        AlarmConfig limits = new AlarmConfig(null, 8.0, null, null, 0.5, 0L);
        AlarmEvaluator ahead = new AlarmEvaluator(100, new TestClock(9_000_000));
        ahead.configure("s", "n", "ai1", limits, "bar");
        alarms.configure("s", "n", "ai1", limits, "bar");
        alarms.evaluate("s", "n", "ai1", 5.0, Quality.GOOD, "bar", 1000, true);
        ahead.evaluate("s", "n", "ai1", 5.0, Quality.GOOD, "bar", 1000, true);
        AlarmEvent raised = ahead.evaluate("s", "n", "ai1", 9.0, Quality.GOOD, "bar", 2000, true).get(0);
        ahead.acknowledge(raised.id(), 2500);

        AlarmEvaluator.Adopted adopted = alarms.adopt("s", "n", ahead.active(), ahead.changedAt("s", "n"));

        assertEquals(AlarmEvaluator.Adoption.SAME, adopted.outcome(), "behind (at 1000): not taken");
        assertEquals(List.of(), alarms.active());
        List<AlarmEvent> later = alarms.evaluate("s", "n", "ai1", 9.0, Quality.GOOD, "bar", 2000, true);
        assertEquals("[RAISED H, ACKNOWLEDGED H]", summary(later), "raised itself, and the acknowledgement kept for it");
        assertEquals(ahead.active(), alarms.active());
        assertEquals(ahead.changedAt("s", "n"), alarms.changedAt("s", "n"));
    }

    @Test
    void aReplicaThatStartsAfterTheRaisingReadingTakesTheOthersAlarmInsteadOfRaisingItAgain() {
        AlarmConfig limits = new AlarmConfig(null, 8.0, null, null, 0.5, 0L);
        AlarmEvaluator others = new AlarmEvaluator(100, new TestClock(9_000_000));
        others.configure("s", "n", "ai1", limits, "bar");
        alarms.configure("s", "n", "ai1", limits, "bar");
        alarms.holdFirstChanges(5000);
        others.evaluate("s", "n", "ai1", 9.0, Quality.GOOD, "bar", 1000, true);   // raised at 1000

        // this replica's first reading is the next one, already high: it holds instead of raising at 2000
        assertEquals(List.of(), alarms.evaluate("s", "n", "ai1", 9.0, Quality.GOOD, "bar", 2000, true));
        assertEquals(List.of(), alarms.due());
        alarms.adopt("s", "n", others.active(), others.changedAt("s", "n"));
        clock.advance(6000);

        assertEquals(List.of(), alarms.due(), "nothing left to raise");
        assertEquals(others.active(), alarms.active(), "the others' alarm, with its id");
    }

    @Test
    void aHeldChangeNobodyElseMadeIsMadeAfterTheHoldAtTheTimeItHappened() {
        alarms.configure("s", "n", "ai1", new AlarmConfig(null, 8.0, null, null, 0.5, 0L), "bar");
        alarms.holdFirstChanges(5000);
        alarms.evaluate("s", "n", "ai1", 9.0, Quality.GOOD, "bar", clock.millis(), true);
        clock.advance(4999);
        assertEquals(List.of(), alarms.due());

        clock.advance(1);
        List<AlarmEvent> raised = alarms.due();

        assertEquals("[RAISED H]", summary(raised));
        assertEquals(clock.millis() - 5000, raised.get(0).time(), "stamped when it happened, not when the hold ended");
    }

    @Test
    void everyChangeOfANodeCountsUpEvenWithinOneMillisecond() {
        alarms.configure("s", "n", "ai1", new AlarmConfig(null, 8.0, null, null, 0.5, 0L), "bar");
        long id = good(9.0).get(0).id();
        long raised = alarms.changedAt("s", "n");

        alarms.acknowledge(id, raised - 5_000);   // an operator's clock behind the node's

        assertEquals(raised + 1, alarms.changedAt("s", "n"));
    }

    @Test
    void everyChangeIsReportedWithTheActiveAlarms() {
        alarms.configure("s", "n", "ai1", new AlarmConfig(null, 8.0, null, null, 0.0, 0L), "bar");
        List<AlarmState> reported = new java.util.ArrayList<>();
        alarms.onChange(reported::add);

        good(5.0);
        assertEquals(0, reported.size(), "nothing changed");
        long id = good(9.0).get(0).id();
        assertEquals(1, reported.get(0).active().size());
        alarms.acknowledge(id);
        assertTrue(reported.get(1).active().get(0).acknowledged());
        good(7.0);
        assertEquals(List.of(), reported.get(2).active());
        assertTrue(reported.get(2).changedAt().get("s/n") > reported.get(1).changedAt().get("s/n"));
        assertEquals(3, reported.size());
    }

    @Test
    void aReplayedBacklogRaisesAndClearsAtItsSourceTimesNotNow() {
        alarms.configure("s", "n", "ai1", new AlarmConfig(null, 8.0, null, null, 0.0, 3000L), "bar");
        long past = clock.millis() - 3_600_000;   // an hour of journal replayed in a burst

        assertEquals("[]", summary(alarms.evaluate(replayed(past, 9.0))));
        assertEquals("[]", summary(alarms.evaluate(replayed(past + 1000, 9.2))), "1 s of source time: delay not over");
        clock.advance(60_000);
        assertEquals("[]", summary(alarms.due()), "server time passing does not end a replayed channel's delay");
        List<AlarmEvent> raised = alarms.evaluate(replayed(past + 5000, 9.1));
        assertEquals("[RAISED H]", summary(raised));
        assertEquals(past + 3000, raised.get(0).time(), "raised when the delay elapsed, in source time");
        assertEquals(past + 3000, alarms.active().get(0).raisedAt());
        assertEquals("[]", summary(alarms.evaluate(replayed(past + 500, 1.0))), "older than the state: history only");
        List<AlarmEvent> cleared = alarms.evaluate(replayed(past + 9000, 1.0));
        assertEquals("[]", summary(cleared));
        assertEquals("[CLEARED H]", summary(alarms.evaluate(replayed(past + 12_000, 1.0))));
        assertEquals(past + 12_000, alarms.recent().get(0).time());
    }

    @Test
    void aLiveChannelsDelayCompletesOnTheServersClockBetweenReadings() {
        alarms.configure("s", "n", "ai1", new AlarmConfig(null, 8.0, null, null, 0.0, 3000L), "bar");
        long sourceTime = clock.millis() - 200;   // the node's clock a little behind the server's

        assertEquals("[]", summary(alarms.evaluate(live(sourceTime, 9.0))));
        clock.advance(2900);
        assertEquals("[]", summary(alarms.due()));
        clock.advance(200);
        List<AlarmEvent> raised = alarms.due();
        assertEquals("[RAISED H]", summary(raised));
        assertEquals(sourceTime + 3000, raised.get(0).time());
    }

    private static NodeMessage replayed(long ts, double value) {
        return new NodeMessage(1, "s", "n", 1, ts, true, List.of(Reading.good("ai1", value, "bar", null)));
    }

    private static NodeMessage live(long ts, double value) {
        return NodeMessage.live("s", "n", 1, ts, List.of(Reading.good("ai1", value, "bar", null)));
    }
}
