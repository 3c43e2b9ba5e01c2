package io.iiotroutes.node;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigDefaultsTest {

    @Test
    void channelDefaults() {
        ChannelConfig c = new ChannelConfig("a", null, "0-10V", List.of(0.0, 1.0), null, "V", null, null, null, null,
                null, null, null, null, null, null, null, null);
        assertTrue(c.clamp());
        assertEquals(1, c.average());
        assertEquals(0.0, c.deadband());
        assertEquals(60_000L, c.heartbeatMs());
        assertEquals(4.096, c.gain());
        assertEquals(1.0, c.divider());
        assertEquals(List.of(), c.faults());
        assertEquals(0.0, c.signalLow());
        assertEquals(10.0, c.signalHigh());
    }

    @Test
    void rtdChannelsDefaultToDegreesOverTheWholeStandardRange() {
        ChannelConfig c = new ChannelConfig("t", null, "PT1000", null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
        assertEquals("°C", c.unit());
        assertEquals(-200.0, c.rangeLow());
        assertEquals(850.0, c.rangeHigh());
    }

    @Test
    void driverDefaultsDependOnTheType() {
        DriverConfig ads = new DriverConfig("ads1115", null, null, null, null, null, null, null, null, null);
        assertEquals(1, ads.bus());
        assertEquals(0x48, ads.address());
        assertEquals(128, ads.dataRate());
        DriverConfig mcp = new DriverConfig("mcp3008", null, null, null, null, null, null, null, null, null);
        assertEquals(0, mcp.bus());
        assertEquals(0, mcp.chipSelect());
        assertEquals(3.3, mcp.vref());
        assertEquals(1_000_000, mcp.baud());
        DriverConfig revpi = new DriverConfig("revpi-aio", null, null, null, null, null, null, null, null, null);
        assertEquals("/dev/piControl0", revpi.processImage());
        assertEquals(11, revpi.moduleOffset());
    }

    @Test
    void nodeDefaultsAndFastestPeriod() {
        ChannelConfig c = new ChannelConfig("a", null, "0-10V", List.of(0.0, 1.0), null, "V", null, null, null, null,
                null, null, null, null, null, null, null, null);
        NodeConfig node = new NodeConfig("s", "n", null, null,
                List.of(new GroupConfig("slow", 5000L, List.of(c)), new GroupConfig("fast", 250L, List.of(c))));
        assertEquals(3, node.staleAfterPeriods());
        assertEquals(250, node.fastestPeriodMs());
    }

    @Test
    void simulationDefaults() {
        SimulationConfig s = new SimulationConfig("random-walk", 4.0, 20.0, null, null, null, null);
        assertEquals(60.0, s.periodS());
        assertEquals(0.0, s.noise());
        assertEquals(12.0, s.value(), "walk starts mid-range");
        assertEquals(0.32, s.step(), 1e-12);
    }
}
