package io.iiotroutes.edge.sim;

import io.iiotroutes.edge.TestClock;
import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.FaultConfig;
import io.iiotroutes.node.SimulationConfig;
import io.iiotroutes.edge.driver.ChannelResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.iiotroutes.edge.Channels.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedDriverTest {

    private final TestClock clock = new TestClock(1_700_000_000_000L);
    private final SimulatedDriver driver = new SimulatedDriver(clock, 42);

    @Test
    void sineFollowsItsPeriod() {
        ChannelConfig ch = sim("ai1", "4-20mA", shape("sine", 4, 20, 60));
        assertEquals(12.0, valueAt(ch, 0), 1e-9);
        assertEquals(20.0, valueAt(ch, 15_000), 1e-9);
        assertEquals(4.0, valueAt(ch, 45_000), 1e-9);
        assertEquals(20.0, valueAt(ch, 75_000), 1e-9);
    }

    @Test
    void rampRisesAndRestarts() {
        ChannelConfig ch = sim("ai1", "0-10V", shape("ramp", 0, 10, 10));
        assertEquals(2.5, valueAt(ch, 2_500), 1e-9);
        assertEquals(2.5, valueAt(ch, 12_500), 1e-9);
    }

    @Test
    void stepIsASquareWave() {
        ChannelConfig ch = sim("ai1", "0-10V", shape("step", 2, 8, 10));
        assertEquals(2.0, valueAt(ch, 1_000));
        assertEquals(8.0, valueAt(ch, 6_000));
        assertEquals(2.0, valueAt(ch, 11_000));
    }

    @Test
    void randomShapesAreRepeatableWithTheSameSeedAndStayInRange() {
        ChannelConfig walk = sim("w", "0-10V", shape("random-walk", 1, 9, 60));
        ChannelConfig noise = sim("n", "0-10V", shape("noise", 1, 9, 60));
        List<Double> first = series(new SimulatedDriver(clock, 7), walk, noise);
        List<Double> again = series(new SimulatedDriver(clock, 7), walk, noise);
        List<Double> other = series(new SimulatedDriver(clock, 8), walk, noise);
        assertEquals(first, again);
        assertNotEquals(first, other);
        assertTrue(first.stream().allMatch(v -> v >= 1 && v <= 9), "within min/max");
        assertTrue(first.stream().distinct().count() > 100, "actually moving");
    }

    @Test
    void noiseIsAddedToAnyShape() {
        SimulationConfig noisy = new SimulationConfig("constant", null, null, null, 0.1, null, 12.0);
        List<Double> values = series(driver, sim("n", "4-20mA", noisy));
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertEquals(12.0, mean, 0.02);
        assertTrue(values.stream().anyMatch(v -> Math.abs(v - 12.0) > 0.1));
    }

    @Test
    void wireBreakOpensTheLoop() {
        FaultConfig brk = new FaultConfig("wire-break", 10.0, 5.0, null, null);
        ChannelConfig loop = sim("ai1", "4-20mA", constant(12), brk);
        ChannelConfig rtd = sim("rtd1", "pt100", constant(108), brk);
        assertEquals(12.0, valueAt(loop, 9_000));
        assertEquals(0.0, valueAt(loop, 10_000));
        assertEquals(SimulatedChannel.OPEN_RTD_OHMS, valueAt(rtd, 12_000));
        assertEquals(12.0, valueAt(loop, 15_000));
    }

    @Test
    void stuckFreezesTheLastValueUntilTheFaultEnds() {
        ChannelConfig ramp = sim("ai1", "0-10V", shape("ramp", 0, 10, 100), new FaultConfig("stuck", 20.0, 10.0, 50.0, null));
        driver.connect();
        read(ramp, 19_000);
        assertEquals(1.9, read(ramp, 1_000).value(), 1e-9);   // t=20: frozen at the value before the fault
        assertEquals(1.9, read(ramp, 5_000).value(), 1e-9);   // t=25
        assertEquals(3.0, read(ramp, 5_000).value(), 1e-9);   // t=30: moving again
        read(ramp, 39_000);                                     // t=69
        assertEquals(6.9, read(ramp, 1_000).value(), 1e-9);   // t=70: stuck again, at the new value
        assertEquals(6.9, read(ramp, 9_000).value(), 1e-9);   // t=79
    }

    @Test
    void spikeAndOutOfRangeAndReadError() {
        ChannelConfig spike = sim("s", "0-10V", shape("step", 2, 8, 1000), new FaultConfig("spike", 1.0, 1.0, null, 3.0));
        ChannelConfig oor = sim("o", "4-20mA", shape("step", 4, 20, 1000), new FaultConfig("out-of-range", 1.0, null, null, null));
        ChannelConfig err = sim("e", "0-10V", constant(5), new FaultConfig("read-error", 1.0, null, null, null));
        driver.connect();
        clock.advance(1_000);
        List<ChannelResult> r = driver.read(List.of(spike, oor, err));
        assertEquals(5.0, r.get(0).value(), 1e-9);
        assertEquals(28.0, r.get(1).value(), 1e-9);
        assertFalse(r.get(2).success());
        assertEquals("simulated read error", r.get(2).error());
        assertNull(r.get(2).value());
    }

    @Test
    void simulatedReadingsHaveNoAdcCounts() {
        assertNull(read(sim("a", "0-10V", constant(5)), 0).raw());
    }

    private double valueAt(ChannelConfig ch, long millisSinceConnect) {
        SimulatedDriver fresh = new SimulatedDriver(clock, 42);
        fresh.connect();
        clock.advance(millisSinceConnect);
        double value = fresh.read(List.of(ch)).get(0).value();
        clock.advance(-millisSinceConnect);
        return value;
    }

    private ChannelResult read(ChannelConfig ch, long advance) {
        clock.advance(advance);
        return driver.read(List.of(ch)).get(0);
    }

    private List<Double> series(SimulatedDriver d, ChannelConfig... channels) {
        d.connect();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            d.read(List.of(channels)).forEach(r -> values.add(r.value()));
        }
        return values;
    }

    private static ChannelConfig sim(String id, String signal, SimulationConfig sim, FaultConfig... faults) {
        return channel(id, signal, 0, 100, "u").simulation(sim, faults).build();
    }

    private static SimulationConfig shape(String shape, double min, double max, double periodS) {
        return new SimulationConfig(shape, min, max, periodS, null, null, null);
    }

    private static SimulationConfig constant(double value) {
        return new SimulationConfig("constant", null, null, null, null, null, value);
    }
}
