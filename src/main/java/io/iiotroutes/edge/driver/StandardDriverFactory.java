package io.iiotroutes.edge.driver;

import com.pi4j.Pi4J;
import io.iiotroutes.node.DriverConfig;
import io.iiotroutes.node.NodeConfig;
import io.iiotroutes.edge.sim.SimulatedDriver;

import java.nio.file.Path;
import java.time.Clock;

/** The real drivers: Pi4J (auto-detected linuxfs I2C/SPI providers), the piControl file and the simulator. */
public final class StandardDriverFactory implements DriverFactory {

    @Override
    public Driver create(NodeConfig node, Clock clock) {
        DriverConfig d = node.driver();
        return switch (d.driverType()) {
            case SIMULATED -> new SimulatedDriver(clock, d.seed());
            case ADS1115 -> new Ads1115Driver(d.bus(), d.address(), Ads1115DataRate.of(d.dataRate()).orElseThrow(),
                    Pi4J::newAutoContext, Pause.REAL);
            case MCP3008 -> new Mcp3008Driver(d.bus(), d.chipSelect(), d.baud(), d.vref(), Pi4J::newAutoContext);
            case REVPI_AIO -> new RevPiAioDriver(Path.of(d.processImage()), d.moduleOffset());
        };
    }
}
