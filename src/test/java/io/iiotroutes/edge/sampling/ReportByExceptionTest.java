package io.iiotroutes.edge.sampling;

import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportByExceptionTest {

    private final ReportByException rbe = new ReportByException(0.05, 10_000);

    @Test
    void valueWithinDeadbandWaitsForTheHeartbeat() {
        assertTrue(rbe.offer(good(5.00), 0), "first reading always reports");
        assertFalse(rbe.offer(good(5.04), 1_000));
        assertFalse(rbe.offer(good(4.96), 2_000));
        assertFalse(rbe.offer(good(5.01), 9_999));
        assertTrue(rbe.offer(good(5.01), 10_000), "heartbeat confirms a stable value");
        assertFalse(rbe.offer(good(5.01), 11_000));
        assertTrue(rbe.offer(good(5.01), 20_000));
    }

    @Test
    void exactlyTheDeadbandIsNotBeyondIt() {
        ReportByException quarter = new ReportByException(0.25, 10_000); // binary-exact numbers
        quarter.offer(good(5.0), 0);
        assertFalse(quarter.offer(good(5.25), 1_000));
        assertFalse(quarter.offer(good(4.75), 2_000));
        assertTrue(quarter.offer(good(5.2500001), 3_000));
    }

    @Test
    void changeBeyondDeadbandReportsAtOnceAndRestartsTheHeartbeat() {
        rbe.offer(good(5.00), 0);
        assertTrue(rbe.offer(good(5.06), 1_000));
        assertFalse(rbe.offer(good(5.10), 2_000), "compared with the last reported value, 5.06");
        assertTrue(rbe.offer(good(5.12), 3_000));
        assertFalse(rbe.offer(good(5.12), 12_999));
        assertTrue(rbe.offer(good(5.12), 13_000));
    }

    @Test
    void slowDriftIsReportedOnceItAddsUpBeyondTheDeadband() {
        rbe.offer(good(1.00), 0);
        assertFalse(rbe.offer(good(1.02), 1_000));
        assertFalse(rbe.offer(good(1.04), 2_000));
        assertTrue(rbe.offer(good(1.06), 3_000));
    }

    @Test
    void aQualityChangeAlwaysReports() {
        rbe.offer(good(5.0), 0);
        assertTrue(rbe.offer(new Reading("ai1", 5.0, "bar", null, Quality.UNCERTAIN, "clamped"), 100));
        assertFalse(rbe.offer(new Reading("ai1", 5.0, "bar", null, Quality.UNCERTAIN, "clamped"), 200));
        assertTrue(rbe.offer(new Reading("ai1", null, "bar", null, Quality.BAD, "wire break"), 300));
        assertFalse(rbe.offer(new Reading("ai1", null, "bar", null, Quality.BAD, "wire break"), 400));
        assertTrue(rbe.offer(new Reading("ai1", null, "bar", null, Quality.BAD, "stale: wire break"), 500),
                "a new reason is news too");
        assertTrue(rbe.offer(good(5.0), 600));
    }

    @Test
    void zeroDeadbandReportsEveryChangeButNotARepeat() {
        ReportByException any = new ReportByException(0, 60_000);
        any.offer(good(1.0), 0);
        assertFalse(any.offer(good(1.0), 1_000));
        assertTrue(any.offer(good(1.0000001), 2_000));
    }

    private static Reading good(double value) {
        return Reading.good("ai1", value, "bar", null);
    }
}
