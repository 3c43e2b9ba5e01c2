package io.iiotroutes.edge.driver;

import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.SignalType;

/**
 * Wiring between the sensor and an ADC pin: a shunt turns a current into a voltage, a divider scales a voltage
 * down, an excitation current turns an RTD resistance into a voltage. Undoes it to get the signal value.
 */
public final class AnalogFrontEnd {

    /**
     * An open RTD drives its excitation current source to the rail, so the ADC sits at full scale; the
     * resistance is then unknown rather than large, so it cannot be left to the converter's open-circuit rule.
     */
    public static final String RTD_SATURATED = "wire break: RTD input at ADC full scale";

    private AnalogFrontEnd() {
    }

    /** Signal value (V, mA, ohm, or the counts themselves for raw) from the voltage measured at the pin. */
    public static double toSignal(ChannelConfig channel, long counts, double pinVolts) {
        SignalType signal = channel.signalType();
        if (signal == SignalType.RAW) {
            return counts;
        }
        if (signal.isCurrent()) {
            return pinVolts / channel.shuntOhms() * 1000.0;
        }
        if (signal.isRtd()) {
            return pinVolts / (channel.excitationMa() / 1000.0);
        }
        return pinVolts * channel.divider();
    }
}
