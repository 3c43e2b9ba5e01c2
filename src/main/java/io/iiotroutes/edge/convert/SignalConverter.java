package io.iiotroutes.edge.convert;

import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.SignalType;
import io.iiotroutes.model.Quality;

/**
 * Signal value (V, mA, ohm, counts) to engineering value with quality, for one channel.
 * Order: signal-level checks (NE43, RTD wire break / short), then scaling, then clamping to the engineering range.
 */
public final class SignalConverter {

    /** Far above any valid temperature (850 °C is 3.9 × R0): the loop is open. */
    static final double OPEN_CIRCUIT_RATIO = 5.0;
    /** Far below any valid temperature (−200 °C is 0.185 × R0): the sensor is shorted. */
    static final double SHORT_CIRCUIT_RATIO = 0.1;

    private final SignalType signal;
    private final LinearScale scale;
    private final double low;
    private final double high;
    private final boolean clamp;

    public SignalConverter(ChannelConfig channel) {
        this.signal = channel.signalType();
        this.low = channel.rangeLow();
        this.high = channel.rangeHigh();
        this.clamp = channel.clamp();
        this.scale = signal.isRtd() ? null
                : new LinearScale(channel.signalLow(), channel.signalHigh(), low, high);
    }

    public Converted convert(double signalValue) {
        String signalReason = null;
        if (signal == SignalType.MA_4_20) {
            Quality q = Ne43.quality(signalValue);
            if (q == Quality.BAD) {
                return Converted.bad(Ne43.reason(signalValue));
            }
            signalReason = Ne43.reason(signalValue);
        }
        double value;
        if (signal.isRtd()) {
            double r0 = signal.r0();
            if (signalValue > OPEN_CIRCUIT_RATIO * r0) {
                return Converted.bad("wire break: RTD open circuit");
            }
            if (signalValue < SHORT_CIRCUIT_RATIO * r0) {
                return Converted.bad("short circuit: RTD shorted");
            }
            value = Rtd.temperature(signalValue, r0);
        } else {
            value = scale.apply(signalValue);
        }
        if (clamp && (value < low || value > high)) {
            return Converted.uncertain(Math.max(low, Math.min(high, value)), signalReason != null ? signalReason : "clamped");
        }
        return signalReason != null ? Converted.uncertain(value, signalReason) : Converted.good(value);
    }
}
