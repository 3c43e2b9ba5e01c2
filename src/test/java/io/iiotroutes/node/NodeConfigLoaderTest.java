package io.iiotroutes.node;

import io.iiotroutes.edge.EdgeNodeConfig;

import io.iiotroutes.node.NodeConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeConfigLoaderTest {

    private static final String HEADER = """
            site: demo
            node: node-9
            driver:
              type: simulated
            groups:
              - name: fast
                periodMs: 1000
                channels:
            """;
    private static final String GOOD_CHANNEL = """
                  - id: ai1
                    signal: 4-20mA
                    range: [0, 10]
                    unit: bar
                    simulation: { shape: sine, min: 4, max: 20 }
            """;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"node-1.yaml", "node-2.yaml", "ads1115-example.yaml", "mcp3008-example.yaml", "revpi-aio-example.yaml"})
    void shippedNodeFilesAreValid(String name) throws NodeConfigException {
        NodeConfig config = NodeConfigLoader.load(Path.of("config/nodes", name));
        assertTrue(config.channels().count() >= 3);
    }

    @Test
    void demoNodeHasTheAioChannelsAndDefaults() throws NodeConfigException {
        NodeConfig config = NodeConfigLoader.load(Path.of("config/nodes/node-1.yaml"));
        assertEquals("demo", config.site());
        assertEquals("node-1", config.node());
        assertEquals(1000, config.fastestPeriodMs());
        assertEquals(List.of("ai1", "ai2", "ai3", "ai4", "rtd1"), config.channels().map(ChannelConfig::id).toList());
        ChannelConfig rtd = config.channels().filter(c -> c.id().equals("rtd1")).findFirst().orElseThrow();
        assertEquals(SignalType.PT100, rtd.signalType());
        assertEquals("°C", rtd.unit());
        assertEquals(true, rtd.clamp());
        assertEquals(1, rtd.average());
    }

    @Test
    void hexAddressesAndDriverDefaults() throws NodeConfigException {
        NodeConfig config = NodeConfigLoader.load(Path.of("config/nodes/ads1115-example.yaml"));
        assertEquals(0x48, config.driver().address());
        assertEquals(1, config.driver().bus());
        NodeConfig revpi = NodeConfigLoader.load(Path.of("config/nodes/revpi-aio-example.yaml"));
        assertEquals("/dev/piControl0", revpi.driver().processImage());
        assertEquals(11, revpi.driver().moduleOffset());
    }

    @Test
    void unknownSignalType() throws IOException {
        assertChannelError(GOOD_CHANNEL.replace("4-20mA", "5-25mA"), "ai1", "signal", "unknown signal type '5-25mA'");
    }

    @Test
    void invertedRange() throws IOException {
        assertChannelError(GOOD_CHANNEL.replace("[0, 10]", "[10, 0]"), "ai1", "range", "inverted range");
    }

    @Test
    void duplicateChannelIdAcrossGroups() throws IOException {
        String yaml = HEADER + GOOD_CHANNEL + """
              - name: slow
                periodMs: 5000
                channels:
            """ + GOOD_CHANNEL;
        assertError(yaml, "channel 'ai1'", "field 'id'", "duplicate channel id");
    }

    @Test
    void alarmLimitsAreRead() throws IOException, NodeConfigException {
        Path file = dir.resolve("alarms.yaml");
        Files.writeString(file, HEADER + GOOD_CHANNEL + "        alarms: { hh: 9, h: 8, l: 2, hysteresis: 0.2, delayMs: 3000 }\n");
        AlarmConfig alarms = NodeConfigLoader.load(file).channels().findFirst().orElseThrow().alarms();
        assertEquals(new AlarmConfig(9.0, 8.0, 2.0, null, 0.2, 3000L), alarms);
        assertEquals(new AlarmConfig(null, 1.0, null, null, 0.0, 0L), new AlarmConfig(null, 1.0, null, null, null, null));
    }

    @Test
    void alarmLimitsMustBeOrdered() throws IOException {
        assertChannelError(GOOD_CHANNEL + "        alarms: { hh: 7, h: 8 }\n", "ai1", "alarms.hh", "must be above h");
        assertChannelError(GOOD_CHANNEL + "        alarms: { l: 3, ll: 3 }\n", "ai1", "alarms.l", "must be above ll");
        assertChannelError(GOOD_CHANNEL + "        alarms: { h: 8, hysteresis: -1 }\n", "ai1", "alarms.hysteresis", "negative");
        assertChannelError(GOOD_CHANNEL + "        alarms: { h: 8, delayMs: -5 }\n", "ai1", "alarms.delayMs", "negative");
        assertChannelError(GOOD_CHANNEL + "        alarms: { delayMs: 5 }\n", "ai1", "alarms", "no limit");
        assertChannelError(GOOD_CHANNEL + "        alarms: { high: 5 }\n", "ai1", "alarms.high", "unknown field");
    }

    @Test
    void missingUnit() throws IOException {
        assertChannelError(GOOD_CHANNEL.replace("        unit: bar\n", ""), "ai1", "unit", "missing");
    }

    @Test
    void missingRange() throws IOException {
        assertChannelError(GOOD_CHANNEL.replace("        range: [0, 10]\n", ""), "ai1", "range", "missing");
    }

    @Test
    void missingSignal() throws IOException {
        assertChannelError(GOOD_CHANNEL.replace("        signal: 4-20mA\n", ""), "ai1", "signal", "missing");
    }

    @Test
    void missingIdNamesTheChannelByPosition() throws IOException {
        assertError(HEADER + GOOD_CHANNEL.replace("- id: ai1\n        ", "- "),
                "channel 'groups[0].channels[0]'", "field 'id'", "missing");
    }

    @Test
    void misspelledField() throws IOException {
        assertChannelError(GOOD_CHANNEL + "        deadbnd: 0.1\n", "ai1", "deadbnd", "unknown field");
    }

    @Test
    void wrongValueType() throws IOException {
        assertChannelError(GOOD_CHANNEL.replace("[0, 10]", "lots"), "ai1", "range", "invalid value");
        assertChannelError(GOOD_CHANNEL.replace("[0, 10]", "[0]"), "ai1", "range", "must be [min, max]");
        assertChannelError(GOOD_CHANNEL.replace("[0, 10]", "[0, ~]"), "ai1", "range", "must be [min, max]");
    }

    @Test
    void badFieldInsideTheSimulationBlock() throws IOException {
        assertChannelError(GOOD_CHANNEL.replace("shape: sine", "shape: zigzag"), "ai1", "simulation.shape", "unknown shape");
        assertChannelError(GOOD_CHANNEL.replace("min: 4, max: 20", "min: 20, max: 4"), "ai1", "simulation.min", "inverted");
        assertChannelError(GOOD_CHANNEL.replace("}", "}\n        faults: [ { type: meteor } ]"), "ai1", "faults[0].type", "unknown fault");
    }

    @Test
    void simulatedChannelWithoutSimulation() throws IOException {
        assertChannelError(GOOD_CHANNEL.replace("        simulation: { shape: sine, min: 4, max: 20 }\n", ""),
                "ai1", "simulation", "missing");
    }

    @Test
    void adcCurrentInputNeedsAShunt() throws IOException {
        String yaml = HEADER.replace("simulated", "ads1115") + """
                  - id: pressure
                    input: 0
                    signal: 4-20mA
                    range: [0, 10]
                    unit: bar
            """;
        assertError(yaml, "channel 'pressure'", "field 'shuntOhms'", "missing");
        assertError(yaml.replace("input: 0", "input: 4"), "channel 'pressure'", "field 'input'", "must be 0..3");
        assertError(yaml + "        shuntOhms: 150\n        gain: 3.3\n", "channel 'pressure'", "field 'gain'", "unsupported PGA");
        assertError(yaml + "        shuntOhms: 150\n        faults: [ { type: stuck } ]\n", "channel 'pressure'",
                "field 'faults'", "only works with the simulated driver");
    }

    @Test
    void revPiInputNamesAndSignals() throws IOException {
        String yaml = HEADER.replace("simulated", "revpi-aio") + """
                  - id: t1
                    input: InputValue_1
                    signal: pt100
                    range: [0, 100]
                    unit: C
            """;
        assertError(yaml, "channel 't1'", "field 'signal'", "use RTDValue_1/2 for RTDs");
        assertError(yaml.replace("InputValue_1", "AI9"), "channel 't1'", "field 'input'", "unknown AIO input 'AI9'");
    }

    @Test
    void nodeLevelProblemsNameTheField() throws IOException {
        assertError(HEADER.replace("simulated", "modbus") + GOOD_CHANNEL, "field 'driver.type'", "unknown driver 'modbus'");
        assertError(HEADER.replace("node: node-9", "node: node 9") + GOOD_CHANNEL, "field 'node'", "may only contain");
        assertError(HEADER.replace("periodMs: 1000", "periodMs: 0") + GOOD_CHANNEL, "field 'groups[0].periodMs'", "at least 10");
        assertError("site: demo\nnode: n\ndriver: { type: simulated }\n", "field 'groups'", "missing");
        assertError(HEADER.replace("type: simulated", "type: ads1115\n  address: 0x50") + GOOD_CHANNEL,
                "field 'driver.address'", "0x48..0x4B");
    }

    @Test
    void theServerReadsTheSharedModelWithoutTheEdgesDriverChecks() throws Exception {
        Path file = dir.resolve("adc-node.yaml");
        Files.writeString(file, HEADER.replace("type: simulated", "type: ads1115\n  address: 0x50") + GOOD_CHANNEL);

        assertEquals("node-9", NodeConfigLoader.load(file).node(), "the server needs no bus address");
        NodeConfigException e = assertThrows(NodeConfigException.class, () -> EdgeNodeConfig.load(file));
        assertTrue(e.getMessage().contains("field 'driver.address'"), e.getMessage());
    }

    @Test
    void brokenYamlAndMissingFile() throws IOException {
        assertError("site: [unclosed\n", "invalid YAML");
        NodeConfigException e = assertThrows(NodeConfigException.class, () -> NodeConfigLoader.load(dir.resolve("none.yaml")));
        assertTrue(e.getMessage().contains("none.yaml"), e.getMessage());
    }

    private void assertChannelError(String channelYaml, String channel, String field, String problem) throws IOException {
        assertError(HEADER + channelYaml, "channel '" + channel + "'", "field '" + field + "'", problem);
    }

    private void assertError(String yaml, String... expectedParts) throws IOException {
        Path file = dir.resolve("bad-node.yaml");
        Files.writeString(file, yaml);
        NodeConfigException e = assertThrows(NodeConfigException.class, () -> EdgeNodeConfig.load(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        for (String part : expectedParts) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
    }
}
