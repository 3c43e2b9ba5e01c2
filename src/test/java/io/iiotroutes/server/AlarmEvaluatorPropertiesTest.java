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

    @Provide
    Arbitrary<List<Step>> streams() {
        Arbitrary<Long> after = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(0L)),
                net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(1, 2_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(2_000, 60_000)));
        Arbitrary<Double> value = Arbitraries.oneOf(Arbitraries.doubles().between(-20, 120),
                Arbitraries.of(0.0, 10.0, 20.0, 80.0, 90.0, 9.5, 80.5, 89.5));
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
}
