package io.iiotroutes.server;

import io.iiotroutes.edge.TestClock;
import io.iiotroutes.node.AlarmConfig;
import io.iiotroutes.model.Quality;
import io.iiotroutes.server.AlarmEvaluator.AlarmEvent;
import io.iiotroutes.server.AlarmEvaluator.EventType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Alarm evaluation against generated streams (equal source timestamps, bursts, BAD readings, values at and around
 * every limit, delays up to 10 s): events follow source time only, so the same readings give the same alarms
 * however fast they arrive and whatever the server's clock says; no delay completes early; each call is cheap.
 */
class AlarmEvaluatorPropertiesTest {

    private static final long T0 = 1_700_000_000_000L;

    /** A reading: how long after the previous one (source time, often 0), its value, and whether it is BAD. */
    record Step(long afterMs, double value, boolean bad) {
    }

    /** Values anywhere in the range and right at and around every limit (LL 10, L 20, H 80, HH 90) and 0. */
    private static Arbitrary<Double> values() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(-20, 120),
                Arbitraries.of(0.0, 10.0, 20.0, 80.0, 90.0, 9.5, 80.5, 89.5));
    }

    @Provide
    Arbitrary<List<Step>> streams() {
        Arbitrary<Long> after = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(0L)),
                net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(1, 2_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(2_000, 60_000)));
        Arbitrary<Double> value = values();
        return Combinators.combine(after, value, Arbitraries.integers().between(0, 9).map(i -> i == 0))
                .as(Step::new).list().ofMaxSize(300);
    }

    @Provide
    Arbitrary<AlarmConfig> limits() {
        return Combinators.combine(Arbitraries.of(90.0, (Double) null), Arbitraries.of(80.0, (Double) null),
                        Arbitraries.of(20.0, (Double) null), Arbitraries.of(10.0, (Double) null),
                        Arbitraries.doubles().between(0, 2), Arbitraries.longs().between(0, 10_000))
                .as(AlarmConfig::new).filter(AlarmConfig::hasLimits);
    }

    private static List<AlarmEvent> run(AlarmEvaluator alarms, AlarmConfig limits, List<Step> steps, boolean live,
                                        TestClock clock, long serverStepMs) {
        alarms.configure("s", "n", "ai1", limits, "bar");
        List<AlarmEvent> events = new ArrayList<>();
        long t = T0;
        for (Step step : steps) {
            t += step.afterMs();
            clock.advance(serverStepMs);
            events.addAll(alarms.evaluate("s", "n", "ai1", step.bad() ? null : step.value(),
                    step.bad() ? Quality.BAD : Quality.GOOD, "bar", t, live));
        }
        return events;
    }

    /** An event without its id (ids come from the evaluator's clock at start). */
    private static List<String> withoutIds(List<AlarmEvent> events) {
        return events.stream().map(e -> e.event() + " " + e.level() + " " + e.limit() + " " + e.value() + " @" + e.time())
                .toList();
    }

    @Property(tries = 300)
    void theSameReadingsGiveTheSameAlarmsAtAnyArrivalSpeed(@ForAll("streams") List<Step> steps,
                                                          @ForAll("limits") AlarmConfig limits) {
        TestClock fast = new TestClock(T0 + 365L * 86_400_000);   // a replay a year later, 1 ms apart
        TestClock live = new TestClock(T0);
        List<AlarmEvent> replayed = run(new AlarmEvaluator(100, fast), limits, steps, false, fast, 1);
        List<AlarmEvent> asItHappened = run(new AlarmEvaluator(100, live), limits, steps, true, live, 0);
        assertEquals(withoutIds(asItHappened), withoutIds(replayed));
    }

    @Property(tries = 300)
    void eventsAreStampedInSourceTimeAndNoDelayCompletesEarly(@ForAll("streams") List<Step> steps,
                                                            @ForAll("limits") AlarmConfig limits) {
        TestClock server = new TestClock(T0 + 365L * 86_400_000);
        AlarmEvaluator alarms = new AlarmEvaluator(100, server);
        long slowest = 0;
        long t = T0;
        List<AlarmEvent> events = new ArrayList<>();
        alarms.configure("s", "n", "ai1", limits, "bar");
        for (Step step : steps) {
            t += step.afterMs();
            long start = System.nanoTime();
            events.addAll(alarms.evaluate("s", "n", "ai1", step.bad() ? null : step.value(),
                    step.bad() ? Quality.BAD : Quality.GOOD, "bar", t, false));
            slowest = Math.max(slowest, System.nanoTime() - start);
            server.advance(10_000);
            // a replayed channel's delay waits for its next reading, however much server time passes
            assertEquals(List.of(), alarms.due());
        }
        assertTrue(slowest < 50_000_000, "slowest evaluation took " + slowest / 1000 + " us");
        long last = t;
        Long activeId = null;
        for (AlarmEvent event : events) {
            assertTrue(event.time() >= T0 + limits.delayMs() && event.time() <= last,
                    "event at " + event.time() + " outside source time [" + (T0 + limits.delayMs()) + ", " + last + "]");
            if (event.event() == EventType.RAISED) {
                assertEquals(null, activeId, "one alarm per channel at a time");
                activeId = event.id();
            } else if (event.event() == EventType.CLEARED) {
                assertEquals(activeId, event.id(), "a clear names the active alarm");
                activeId = null;
            }
        }
        assertEquals(activeId, alarms.active("s", "n", "ai1").map(AlarmEvaluator.ActiveAlarm::id).orElse(null));
    }

    /** A reading of one of three channels of a node. */
    record ChannelStep(int channel, long afterMs, double value, boolean bad) {
    }

    @Provide
    Arbitrary<List<ChannelStep>> interleaved() {
        Arbitrary<Long> after = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(0L)),
                net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(1, 2_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(2_000, 30_000)));
        Arbitrary<Double> value = values();
        return Combinators.combine(Arbitraries.integers().between(0, 2), after, value,
                Arbitraries.integers().between(0, 9).map(i -> i == 0)).as(ChannelStep::new).list().ofMaxSize(400);
    }

    @Provide
    Arbitrary<List<AlarmConfig>> threeLimits() {
        return limits().list().ofSize(3);
    }

    /**
     * Per channel, while three channels' readings interleave: each raise or clear comes only once the level it goes
     * to held, without interruption (no BAD reading, no reading back at the old level), for the channel's own delay
     * of source time, and is stamped when that delay elapsed; no other channel's readings shorten or lengthen it.
     */
    @Property(tries = 300)
    void noDelayCompletesEarlyOnAnyChannel(@ForAll("interleaved") List<ChannelStep> steps,
                                          @ForAll("threeLimits") List<AlarmConfig> limits) {
        AlarmEvaluator alarms = new AlarmEvaluator(100, new TestClock(T0 + 365L * 86_400_000));
        List<List<long[]>> seen = new ArrayList<>();   // per channel: {source time, step index}
        List<AlarmEvaluator.Level> levels = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            alarms.configure("s", "n", "ai" + c, limits.get(c), "bar");
            seen.add(new ArrayList<>());
            levels.add(null);
        }
        long t = T0;
        for (int i = 0; i < steps.size(); i++) {
            ChannelStep step = steps.get(i);
            t += step.afterMs();
            int c = step.channel();
            seen.get(c).add(new long[]{t, i});
            List<AlarmEvent> events = alarms.evaluate("s", "n", "ai" + c, step.bad() ? null : step.value(),
                    step.bad() ? Quality.BAD : Quality.GOOD, "bar", t, false);
            if (events.isEmpty()) {
                continue;
            }
            for (AlarmEvent event : events) {
                assertEquals("ai" + c, event.channel(), "an event of another channel than the reading's");
                assertEquals(events.get(0).time(), event.time(), "one change, one time");
            }
            AlarmEvaluator.Level before = levels.get(c);
            AlarmEvent last = events.get(events.size() - 1);
            AlarmEvaluator.Level after = last.event() == EventType.RAISED ? last.level() : null;
            // back from this reading, the channel's readings that were GOOD and at the new level without a break
            long heldSince = t;
            List<long[]> history = seen.get(c);
            for (int k = history.size() - 1; k >= 0; k--) {
                ChannelStep earlier = steps.get((int) history.get(k)[1]);
                if (earlier.bad() || AlarmLevels.target(limits.get(c), before, earlier.value()) != after) {
                    break;
                }
                heldSince = history.get(k)[0];
            }
            long delay = limits.get(c).delayMs();
            long at = last.time();
            assertTrue(at - heldSince >= delay, "ai" + c + " went from " + before + " to " + after + " at " + (at - T0)
                    + " after its level held since " + (heldSince - T0) + ", less than its delay of " + delay + " ms");
            assertEquals(heldSince + delay, at, "stamped when the delay elapsed");
            assertTrue(at <= t, "stamped in the future: " + (at - T0) + " > " + (t - T0));
            levels.set(c, after);
        }
    }
}
