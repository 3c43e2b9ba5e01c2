package io.iiotroutes.edge;

import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.FaultConfig;
import io.iiotroutes.node.SimulationConfig;

import java.util.List;

/** Builds ChannelConfig values for tests without a YAML file; each with* returns a changed copy. */
public record Channels(String id, String input, String signal, List<Double> range, List<Double> signalRange,
                       String unit, Boolean clamp, Integer average, Double deadband, Long heartbeatMs, Double gain,
                       Double shuntOhms, Double divider, Double excitationMa, Integer offset,
                       SimulationConfig simulation, List<FaultConfig> faults) {

    public static Channels channel(String id, String signal, double low, double high, String unit) {
        return new Channels(id, "0", signal, List.of(low, high), null, unit, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    public Channels input(String value) {
        return new Channels(id, value, signal, range, signalRange, unit, clamp, average, deadband, heartbeatMs, gain,
                shuntOhms, divider, excitationMa, offset, simulation, faults);
    }

    public Channels clamp(boolean value) {
        return new Channels(id, input, signal, range, signalRange, unit, value, average, deadband, heartbeatMs, gain,
                shuntOhms, divider, excitationMa, offset, simulation, faults);
    }

    public Channels signalRange(double low, double high) {
        return new Channels(id, input, signal, range, List.of(low, high), unit, clamp, average, deadband, heartbeatMs,
                gain, shuntOhms, divider, excitationMa, offset, simulation, faults);
    }

    public Channels average(int value) {
        return new Channels(id, input, signal, range, signalRange, unit, clamp, value, deadband, heartbeatMs, gain,
                shuntOhms, divider, excitationMa, offset, simulation, faults);
    }

    public Channels gain(double value) {
        return new Channels(id, input, signal, range, signalRange, unit, clamp, average, deadband, heartbeatMs, value,
                shuntOhms, divider, excitationMa, offset, simulation, faults);
    }

    public Channels shuntOhms(double value) {
        return new Channels(id, input, signal, range, signalRange, unit, clamp, average, deadband, heartbeatMs, gain,
                value, divider, excitationMa, offset, simulation, faults);
    }

    public Channels divider(double value) {
        return new Channels(id, input, signal, range, signalRange, unit, clamp, average, deadband, heartbeatMs, gain,
                shuntOhms, value, excitationMa, offset, simulation, faults);
    }

    public Channels excitationMa(double value) {
        return new Channels(id, input, signal, range, signalRange, unit, clamp, average, deadband, heartbeatMs, gain,
                shuntOhms, divider, value, offset, simulation, faults);
    }

    public Channels offset(int value) {
        return new Channels(id, input, signal, range, signalRange, unit, clamp, average, deadband, heartbeatMs, gain,
                shuntOhms, divider, excitationMa, value, simulation, faults);
    }

    public Channels simulation(SimulationConfig value, FaultConfig... faultList) {
        return new Channels(id, input, signal, range, signalRange, unit, clamp, average, deadband, heartbeatMs, gain,
                shuntOhms, divider, excitationMa, offset, value, List.of(faultList));
    }

    public ChannelConfig build() {
        return new ChannelConfig(id, input, signal, range, signalRange, unit, clamp, average, deadband, heartbeatMs,
                gain, shuntOhms, divider, excitationMa, offset, simulation, faults, null);
    }
}
