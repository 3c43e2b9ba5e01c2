package io.iiotroutes.edge.sim;

import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.DriverType;
import io.iiotroutes.node.FaultConfig;
import io.iiotroutes.node.NodeConfig;
import io.iiotroutes.node.NodeConfigException;
import io.iiotroutes.node.SimulationConfig;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** What the simulated driver needs of a node file: each channel's simulation block and its faults. */
public final class SimulationChecks {

    private SimulationChecks() {
    }

    public static void check(Path file, NodeConfig node) throws NodeConfigException {
        if (DriverType.find(node.driver().type()).orElseThrow() != DriverType.SIMULATED) {
            return;
        }
        for (Iterator<ChannelConfig> it = node.channels().iterator(); it.hasNext(); ) {
            new ChannelCheck(file, it.next()).validateSimulation();
        }
    }

    private record ChannelCheck(Path file, ChannelConfig ch) {

        private void validateSimulation() throws NodeConfigException {
            SimulationConfig sim = ch.simulation();
            if (sim == null) {
                throw problem("simulation", "missing: the simulated driver needs a simulation block");
            }
            if (sim.shape() == null) {
                throw problem("simulation.shape", "missing (one of " + Shape.labels() + ")");
            }
            Shape shape = Shape.find(sim.shape()).orElseThrow(() ->
                    problem("simulation.shape", "unknown shape '" + sim.shape() + "' (one of " + Shape.labels() + ")"));
            if (shape != Shape.CONSTANT || sim.value() == null) {
                if (sim.min() == null) {
                    throw problem("simulation.min", "missing");
                }
                if (sim.max() == null) {
                    throw problem("simulation.max", "missing");
                }
                if (sim.min() >= sim.max()) {
                    throw problem("simulation.min", "inverted range: min " + sim.min() + " must be below max " + sim.max());
                }
            }
            if (sim.periodS() <= 0) {
                throw problem("simulation.periodS", "must be positive, got " + sim.periodS());
            }
            if (sim.noise() < 0) {
                throw problem("simulation.noise", "must not be negative, got " + sim.noise());
            }
            List<FaultConfig> faults = ch.faults();
            for (int f = 0; f < faults.size(); f++) {
                FaultConfig fault = faults.get(f);
                String field = "faults[" + f + "]";
                if (fault.type() == null) {
                    throw problem(field + ".type", "missing (one of " + FaultType.labels() + ")");
                }
                if (FaultType.find(fault.type()).isEmpty()) {
                    throw problem(field + ".type", "unknown fault '" + fault.type() + "' (one of " + FaultType.labels() + ")");
                }
                if (fault.durationS() != null && fault.durationS() <= 0) {
                    throw problem(field + ".durationS", "must be positive, got " + fault.durationS());
                }
                if (fault.everyS() != null && (fault.everyS() <= 0
                        || fault.durationS() != null && fault.durationS() >= fault.everyS())) {
                    throw problem(field + ".everyS", "must be longer than durationS, got " + fault.everyS());
                }
            }
        }


        private NodeConfigException problem(String field, String problem) {
            return NodeConfigException.forChannel(file, ch.id(), field, problem);
        }
    }
}
