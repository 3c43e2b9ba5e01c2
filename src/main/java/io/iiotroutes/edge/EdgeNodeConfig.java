package io.iiotroutes.edge;

import io.iiotroutes.edge.driver.DriverConfigChecks;
import io.iiotroutes.edge.sim.SimulationChecks;
import io.iiotroutes.node.NodeConfig;
import io.iiotroutes.node.NodeConfigException;
import io.iiotroutes.node.NodeConfigLoader;

import java.nio.file.Path;

/** A node file as the edge reads it: the shared model's checks, then its driver's (ADC or simulation). */
public final class EdgeNodeConfig {

    private EdgeNodeConfig() {
    }

    public static NodeConfig load(Path file) throws NodeConfigException {
        return NodeConfigLoader.load(file, DriverConfigChecks::check, SimulationChecks::check);
    }
}
