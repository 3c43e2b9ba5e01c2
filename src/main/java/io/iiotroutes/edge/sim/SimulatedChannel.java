package io.iiotroutes.edge.sim;

import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.FaultConfig;
import io.iiotroutes.node.SignalType;
import io.iiotroutes.node.SimulationConfig;
import io.iiotroutes.edge.driver.ChannelResult;

import java.util.Random;

/** One simulated input: its waveform with the configured faults applied on top. */
final class SimulatedChannel {

    /** What an open RTD loop reads on a typical front end. */
    static final double OPEN_RTD_OHMS = 1.0e6;

    private final ChannelConfig channel;
    private final SimulationConfig sim;
    private final Waveform waveform;
    private final Double[] stuckAt;
    private double last;

    SimulatedChannel(ChannelConfig channel, long seed) {
        this.channel = channel;
        this.sim = channel.simulation();
        // own generator per channel: adding a channel does not change the others' values
        this.waveform = new Waveform(sim, new Random(seed * 31 + channel.id().hashCode()));
        this.stuckAt = new Double[channel.faults().size()];
        this.last = sim.value() != null ? sim.value() : 0;
    }

    ChannelResult sample(double t) {
        double value = waveform.valueAt(t);
        for (int i = 0; i < stuckAt.length; i++) {
            FaultConfig fault = channel.faults().get(i);
            if (!fault.activeAt(t)) {
                stuckAt[i] = null;
                continue;
            }
            switch (FaultType.find(fault.type()).orElseThrow()) {
                case WIRE_BREAK -> value = openCircuitValue();
                case STUCK -> {
                    if (stuckAt[i] == null) {
                        stuckAt[i] = last;
                    }
                    value = stuckAt[i];
                }
                case SPIKE -> value += fault.value() != null ? fault.value() : span();
                case OUT_OF_RANGE -> value = fault.value() != null ? fault.value() : sim.max() + span() / 2;
                case READ_ERROR -> {
                    return ChannelResult.failure(channel.id(), "simulated read error");
                }
            }
        }
        last = value;
        return ChannelResult.ok(channel.id(), value, null);
    }

    private double openCircuitValue() {
        SignalType signal = channel.signalType();
        return signal.isRtd() ? OPEN_RTD_OHMS : 0.0;
    }

    private double span() {
        return sim.min() != null && sim.max() != null ? sim.max() - sim.min() : Math.abs(sim.value());
    }
}
