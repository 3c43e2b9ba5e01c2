package io.iiotroutes.edge;

import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.NodeConfigException;
import io.iiotroutes.edge.driver.ChannelResult;
import io.iiotroutes.edge.driver.Driver;
import io.iiotroutes.edge.driver.DriverException;
import io.iiotroutes.edge.driver.DriverFactory;
import io.iiotroutes.edge.driver.StandardDriverFactory;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EdgeNodeTest {

    private static final Path NODE_1 = Path.of("config/nodes/node-1.yaml");
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(T0);

    @Test
    void demoNodeReportsEveryChannelOnTheFirstTick() throws Exception {
        try (EdgeNode node = EdgeNode.load(NODE_1, dir, clock)) {
            assertEquals("demo", node.site());
            assertEquals("node-1", node.nodeId());
            assertEquals(1000, node.samplePeriodMillis());

            NodeMessage first = node.sample();

            assertEquals(1, first.seq());
            assertEquals(T0, first.timestamp());
            assertEquals(NodeMessage.SCHEMA_VERSION, first.version());
            assertFalse(first.historical());
            assertEquals(List.of("ai1", "ai2", "ai3", "ai4", "rtd1"), ids(first));
            assertTrue(first.readings().stream().allMatch(r -> r.quality() == Quality.GOOD), first.toString());
            Reading rtd = first.readings().get(4);
            assertEquals("°C", rtd.unit());
            assertEquals(21.0, rtd.value(), 0.5);
            assertEquals(5.0, first.readings().get(0).value(), 0.1, "sine starts mid-range: 12 mA = 5 bar");
        }
    }

    @Test
    void slowGroupIsSampledOnlyWhenDue() throws Exception {
        try (EdgeNode node = EdgeNode.load(NODE_1, dir, clock)) {
            node.sample();
            for (int tick = 1; tick <= 4; tick++) {
                clock.advance(1000);
                NodeMessage m = node.sample();
                assertFalse(m != null && ids(m).contains("rtd1"), "rtd1 is in the 5 s group, tick " + tick);
            }
        }
    }

    @Test
    void seqContinuesAfterRestart() throws Exception {
        Path file = write("""
                site: demo
                node: seq-node
                driver: { type: simulated }
                groups:
                  - name: g
                    periodMs: 1000
                    channels:
                      - { id: a, signal: 0-10V, range: [0, 10], unit: V, simulation: { shape: ramp, min: 0, max: 10, periodS: 100 } }
                """);
        try (EdgeNode node = EdgeNode.load(file, dir, clock)) {
            for (long expected = 1; expected <= 3; expected++) {
                assertEquals(expected, node.sample().seq());
                clock.advance(1000);
            }
        }
        try (EdgeNode again = EdgeNode.load(file, dir, clock)) {
            assertEquals(4, again.sample().seq());
        }
        assertEquals("4", Files.readString(dir.resolve("demo.seq-node.seq")).trim());
    }

    @Test
    void reportByExceptionSendsOnlyChangedChannelsAndConfirmsStableOnesByHeartbeat() throws Exception {
        Path file = write("""
                site: demo
                node: rbe
                driver: { type: simulated }
                groups:
                  - name: g
                    periodMs: 1000
                    channels:
                      - id: steady
                        signal: 0-10V
                        range: [0, 100]
                        unit: "%"
                        deadband: 0.5
                        heartbeatMs: 10000
                        simulation: { shape: constant, value: 5 }
                      - id: mover
                        signal: 0-10V
                        range: [0, 100]
                        unit: "%"
                        deadband: 0.5
                        heartbeatMs: 60000
                        simulation: { shape: step, min: 2, max: 4, periodS: 7 }
                """);
        try (EdgeNode node = EdgeNode.load(file, dir, clock)) {
            assertEquals(List.of("steady", "mover"), ids(node.sample()));
            for (int second = 1; second <= 3; second++) {
                clock.advance(1000);
                assertNull(node.sample(), "nothing changed at " + second + " s");
            }
            clock.advance(1000); // t=4 s: step from 2 V to 4 V = 20 % -> 40 %
            NodeMessage step = node.sample();
            assertEquals(List.of("mover"), ids(step), "only the channel that changed");
            assertEquals(40.0, step.readings().get(0).value(), 1e-9);
            assertEquals(2, step.seq());
            for (int second = 5; second <= 6; second++) {
                clock.advance(1000);
                assertNull(node.sample());
            }
            clock.advance(1000); // t=7 s: back to 20 %
            assertEquals(List.of("mover"), ids(node.sample()));
            clock.advance(1000); // t=8 s
            assertNull(node.sample());
            clock.advance(2000); // t=10 s: heartbeat of the steady channel
            NodeMessage heartbeat = node.sample();
            assertEquals(List.of("steady"), ids(heartbeat));
            assertEquals(50.0, heartbeat.readings().get(0).value(), 1e-9);
            assertEquals(4, heartbeat.seq());
        }
    }

    @Test
    void faultsChangeQualityAndAreReportedAtOnce() throws Exception {
        Path file = write("""
                site: demo
                node: faulty
                driver: { type: simulated }
                groups:
                  - name: g
                    periodMs: 1000
                    channels:
                      - id: loop
                        signal: 4-20mA
                        range: [0, 10]
                        unit: bar
                        deadband: 1
                        heartbeatMs: 60000
                        simulation: { shape: constant, value: 12 }
                        faults: [ { type: wire-break, afterS: 2, durationS: 2 } ]
                      - id: dead
                        signal: 0-10V
                        range: [0, 10]
                        unit: V
                        heartbeatMs: 60000
                        simulation: { shape: constant, value: 1 }
                        faults: [ { type: read-error, afterS: 1 } ]
                """);
        try (EdgeNode node = EdgeNode.load(file, dir, clock)) {
            assertEquals(Quality.GOOD, reading(node.sample(), "loop").quality());
            clock.advance(1000);
            Reading dead = reading(node.sample(), "dead");
            assertEquals(new Reading("dead", null, "V", null, Quality.BAD, "simulated read error"), dead);
            clock.advance(1000);
            NodeMessage broken = node.sample();
            assertEquals(new Reading("loop", null, "bar", null, Quality.BAD, "sensor fault: below 3.6 mA (NE43)"),
                    reading(broken, "loop"));
            assertEquals(List.of("loop"), ids(broken), "dead unchanged, not repeated");
            clock.advance(1000);
            assertNull(node.sample());
            clock.advance(1000); // t=4 s: loop back; dead had no good read for more than 3 periods
            NodeMessage recovered = node.sample();
            assertEquals(Reading.good("loop", 5.0, "bar", null), reading(recovered, "loop"));
            assertEquals("stale: simulated read error", reading(recovered, "dead").reason());
        }
    }

    @Test
    void revPiNodeReadsAProcessImageEndToEnd() throws Exception {
        ByteBuffer image = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        image.putShort(11, (short) 12000);        // InputValue_1 = 12 mA
        image.putShort(11 + 12, (short) 215);     // RTDValue_1 = 21.5 °C
        Path piControl = dir.resolve("piControl0");
        Files.write(piControl, image.array());
        Path file = write("""
                site: plant
                node: revpi-1
                driver: { type: revpi-aio, processImage: %s }
                groups:
                  - name: g
                    periodMs: 500
                    channels:
                      - { id: p, input: InputValue_1, signal: 4-20mA, range: [0, 10], unit: bar }
                      - { id: t, input: RTDValue_1, signal: pt100 }
                """.formatted(piControl));
        try (EdgeNode node = EdgeNode.load(file, dir, clock)) {
            NodeMessage m = node.sample();
            assertEquals(Reading.good("p", 5.0, "bar", 12000L), m.readings().get(0));
            assertEquals(21.5, m.readings().get(1).value(), 1e-9);
            assertEquals(215L, m.readings().get(1).raw());
            assertEquals(500, node.samplePeriodMillis());
        }
    }

    @Test
    void aMissingDeviceGivesBadReadingsNotAFailedStart() throws Exception {
        Path file = write("""
                site: plant
                node: revpi-2
                driver: { type: revpi-aio, processImage: %s }
                groups:
                  - name: g
                    periodMs: 1000
                    channels:
                      - { id: p, input: InputValue_1, signal: 4-20mA, range: [0, 10], unit: bar }
                """.formatted(dir.resolve("no-such-device")));
        try (EdgeNode node = EdgeNode.load(file, dir, clock)) {
            Reading r = node.sample().readings().get(0);
            assertEquals(Quality.BAD, r.quality());
            assertTrue(r.reason().startsWith("driver not connected: cannot open process image"), r.reason());
        }
    }

    @Test
    void aDriverThatComesLateIsReconnectedAndTheChannelRecovers() throws Exception {
        Path file = write("""
                site: demo
                node: late
                driver: { type: simulated }
                groups:
                  - name: g
                    periodMs: 1000
                    channels:
                      - { id: a, signal: 0-10V, range: [0, 10], unit: V, simulation: { shape: constant, value: 7 } }
                """);
        LateDriver[] created = new LateDriver[1];
        DriverFactory lateDevice = (config, c) -> created[0] = new LateDriver(new StandardDriverFactory().create(config, c));
        try (EdgeNode node = EdgeNode.load(file, dir, clock, lateDevice)) {
            assertEquals("driver not connected: bus busy", node.sample().readings().get(0).reason());
            clock.advance(EdgeNode.RECONNECT_MS);
            assertEquals(Reading.good("a", 7.0, "V", null), node.sample().readings().get(0));
            assertEquals(2, created[0].attempts);
        }
    }

    /** Fails its first connect, like a device that is still booting. */
    private static final class LateDriver implements Driver {
        private final Driver real;
        int attempts;

        LateDriver(Driver real) {
            this.real = real;
        }

        @Override
        public void connect() throws DriverException {
            if (attempts++ == 0) {
                throw new DriverException("bus busy");
            }
            real.connect();
        }

        @Override
        public List<ChannelResult> read(List<ChannelConfig> channels) {
            return real.read(channels);
        }

        @Override
        public void close() {
            real.close();
        }
    }

    @Test
    void aBadConfigurationFailsTheLoadNamingFileChannelAndField() throws Exception {
        Path file = write("""
                site: demo
                node: broken
                driver: { type: simulated }
                groups:
                  - name: g
                    periodMs: 1000
                    channels:
                      - { id: level, signal: 0-10V, range: [100, 0], unit: "%", simulation: { shape: sine, min: 0, max: 10 } }
                """);
        NodeConfigException e = assertThrows(NodeConfigException.class, () -> EdgeNode.load(file, dir, clock));
        assertEquals(file + ": channel 'level': field 'range': inverted range [100.0, 0.0]: min must be below max",
                e.getMessage());
    }

    @Test
    void theTwoArgumentLoadUsesTheSystemClock() throws Exception {
        try (EdgeNode node = EdgeNode.load(Path.of("config/nodes/node-2.yaml"), dir)) {
            long before = System.currentTimeMillis();
            NodeMessage m = node.sample();
            assertNotNull(m);
            assertTrue(m.timestamp() >= before && m.timestamp() <= System.currentTimeMillis());
            assertEquals("node-2", m.node());
        }
    }

    @Test
    void sampleAfterCloseIsAnError() throws Exception {
        EdgeNode node = EdgeNode.load(NODE_1, dir, clock);
        node.close();
        node.close();
        assertThrows(IllegalStateException.class, node::sample);
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("node-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static List<String> ids(NodeMessage m) {
        assertNotNull(m, "expected a message");
        return m.readings().stream().map(Reading::channel).toList();
    }

    private static Reading reading(NodeMessage m, String channel) {
        assertNotNull(m, "expected a message");
        return m.readings().stream().filter(r -> r.channel().equals(channel)).findFirst()
                .orElseThrow(() -> new AssertionError(channel + " not in " + m));
    }
}
