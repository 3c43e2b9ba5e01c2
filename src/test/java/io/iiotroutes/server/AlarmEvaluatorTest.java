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

        AlarmEvaluator restarted = new AlarmEvaluator(100, clock);
        restarted.configure("s", "n", "ai1", limits, "bar");
        restarted.configure("s", "n", "ai2", new AlarmConfig(null, null, 1.0, null, 0.0, 0L), "bar");
        AlarmEvaluator.ActiveAlarm onAChannelNowWithoutThatLimit = new AlarmEvaluator.ActiveAlarm(id + 1, "s", "n",
                "ai2", Level.H, 5.0, 6.0, "bar", 1L, false, null);
        AlarmEvaluator.ActiveAlarm onAnUnconfiguredChannel = new AlarmEvaluator.ActiveAlarm(id + 2, "s", "n", "ai9",
                Level.H, 5.0, 6.0, "bar", 1L, false, null);
        assertEquals(1, restarted.restore(List.of(saved.get(0), onAChannelNowWithoutThatLimit, onAnUnconfiguredChannel)));

        assertEquals(saved, restarted.active());
        assertEquals("[]", summary(restarted.evaluate("s", "n", "ai1", 9.5, Quality.GOOD, "bar")), "still high: no second raise");
        assertTrue(restarted.active().get(0).acknowledged());
        assertEquals(AckOutcome.ALREADY_ACKNOWLEDGED, restarted.acknowledge(id).outcome());
        List<AlarmEvent> cleared = restarted.evaluate("s", "n", "ai1", 7.0, Quality.GOOD, "bar");
        assertEquals("[CLEARED H]", summary(cleared));
        assertEquals(id, cleared.get(0).id(), "the clear names the alarm raised before the restart");
        long next = restarted.evaluate("s", "n", "ai1", 9.0, Quality.GOOD, "bar").get(0).id();
        assertTrue(next > id, "ids continue after the restored ones");
    }

    @Test
    void everyChangeIsReportedWithTheActiveAlarms() {
        alarms.configure("s", "n", "ai1", new AlarmConfig(null, 8.0, null, null, 0.0, 0L), "bar");
        List<List<AlarmEvaluator.ActiveAlarm>> reported = new java.util.ArrayList<>();
        alarms.onChange(reported::add);

        good(5.0);
        assertEquals(0, reported.size(), "nothing changed");
        long id = good(9.0).get(0).id();
        assertEquals(1, reported.get(0).size());
        alarms.acknowledge(id);
        assertTrue(reported.get(1).get(0).acknowledged());
        good(7.0);
        assertEquals(List.of(), reported.get(2));
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
