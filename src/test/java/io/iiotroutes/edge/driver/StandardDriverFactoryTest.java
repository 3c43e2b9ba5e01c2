package io.iiotroutes.edge.driver;

import io.iiotroutes.node.DriverConfig;
import io.iiotroutes.node.NodeConfig;
import io.iiotroutes.edge.Channels;
import io.iiotroutes.node.ChannelConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StandardDriverFactoryTest {

    @ParameterizedTest
    @CsvSource({
        "simulated, SimulatedDriver",
        "ads1115,   Ads1115Driver",
        "mcp3008,   Mcp3008Driver",
        "revpi-aio, RevPiAioDriver",
    })
    void buildsTheDriverTheFileNames(String type, String driverClass) {
        NodeConfig node = new NodeConfig("s", "n", new DriverConfig(type, null, null, null, null, null, null, null, null, null), null, List.of());
        try (Driver driver = new StandardDriverFactory().create(node, Clock.systemUTC())) {
            assertEquals(driverClass, driver.getClass().getSimpleName());
        }
    }

    @ParameterizedTest
    @CsvSource({"ads1115, ADS1115 not connected", "mcp3008, MCP3008 not connected"})
    void hardwareDriversDoNotTouchTheBusUntilConnect(String type, String error) {
        // building must be harmless on a machine without the device: the node starts, readings are BAD
        NodeConfig node = new NodeConfig("s", "n", new DriverConfig(type, null, null, null, null, null, null, null, null, null), null, List.of());
        try (Driver driver = new StandardDriverFactory().create(node, Clock.systemUTC())) {
            ChannelConfig channel = Channels.channel("a", "0-5V", 0, 5, "V").build();
            assertEquals(error, driver.read(List.of(channel)).get(0).error());
        }
    }
}
