package io.iiotroutes.node;

import java.util.List;

/**
 * One measured channel. Required: id, signal, range (not for RTDs), unit (not for RTDs), input (hardware drivers),
 * simulation (simulated driver). Everything else has a default. {@code alarms} is read by the server only.
 */
public record ChannelConfig(String id, String input, String signal, List<Double> range, List<Double> signalRange,
                            String unit, Boolean clamp, Integer average, Double deadband, Long heartbeatMs,
                            Double gain, Double shuntOhms, Double divider, Double excitationMa, Integer offset,
                            SimulationConfig simulation, List<FaultConfig> faults,
                            AlarmConfig alarms) {

    public static final long DEFAULT_HEARTBEAT_MS = 60_000;
    public static final double DEFAULT_ADS1115_GAIN = 4.096;
    /** Whole Callendar–Van Dusen validity range. */
    public static final List<Double> DEFAULT_RTD_RANGE = List.of(-200.0, 850.0);

    public ChannelConfig {
        boolean rtd = SignalType.find(signal).map(SignalType::isRtd).orElse(false);
        range = range == null && rtd ? DEFAULT_RTD_RANGE : range;
        unit = unit == null && rtd ? "°C" : unit;
        clamp = clamp == null || clamp;
        average = average == null ? 1 : average;
        deadband = deadband == null ? 0.0 : deadband;
        heartbeatMs = heartbeatMs == null ? DEFAULT_HEARTBEAT_MS : heartbeatMs;
        gain = gain == null ? DEFAULT_ADS1115_GAIN : gain;
        divider = divider == null ? 1.0 : divider;
        faults = faults == null ? List.of() : List.copyOf(faults);
    }

    /** Only valid after validation. */
    public SignalType signalType() {
        return SignalType.find(signal).orElseThrow(() -> new IllegalStateException("unvalidated signal " + signal));
    }

    public double rangeLow() {
        return range.get(0);
    }

    public double rangeHigh() {
        return range.get(1);
    }

    /** Signal span mapped onto the engineering range: signalRange, else the signal type's span. */
    public double signalLow() {
        return signalRange != null ? signalRange.get(0) : signalType().low();
    }

    public double signalHigh() {
        return signalRange != null ? signalRange.get(1) : signalType().high();
    }
}
