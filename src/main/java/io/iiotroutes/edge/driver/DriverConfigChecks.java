package io.iiotroutes.edge.driver;

import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.DriverConfig;
import io.iiotroutes.node.DriverType;
import io.iiotroutes.node.NodeConfig;
import io.iiotroutes.node.NodeConfigException;
import io.iiotroutes.node.SignalType;

import java.nio.file.Path;
import java.util.Iterator;

/**
 * What the ADC drivers need of a node file beyond the shared model: bus address, data rate, chip select, module
 * offset, and per channel the input, gain, shunt, excitation and divider. The simulated driver's checks are in
 * {@code edge.sim.SimulationChecks}.
 */
public final class DriverConfigChecks {

    private DriverConfigChecks() {
    }

    public static void check(Path file, NodeConfig node) throws NodeConfigException {
        DriverConfig d = node.driver();
        DriverType type = DriverType.find(d.type()).orElseThrow();
        switch (type) {
            case ADS1115 -> {
                if (d.address() < 0x48 || d.address() > 0x4B) {
                    throw NodeConfigException.forField(file, "driver.address",
                            "ADS1115 address must be 0x48..0x4B, got 0x" + Integer.toHexString(d.address()));
                }
                if (Ads1115DataRate.of(d.dataRate()).isEmpty()) {
                    throw NodeConfigException.forField(file, "driver.dataRate", "unsupported data rate " + d.dataRate()
                            + " (one of " + Ads1115DataRate.labels() + ")");
                }
            }
            case MCP3008 -> {
                if (d.vref() <= 0) {
                    throw NodeConfigException.forField(file, "driver.vref", "must be positive, got " + d.vref());
                }
                if (d.chipSelect() < 0 || d.chipSelect() > 2) {
                    throw NodeConfigException.forField(file, "driver.chipSelect", "must be 0, 1 or 2, got " + d.chipSelect());
                }
                if (d.baud() <= 0 || d.baud() > 3_600_000) {
                    throw NodeConfigException.forField(file, "driver.baud",
                            "must be 1..3600000 Hz (MCP3008 limit at 5 V), got " + d.baud());
                }
            }
            case REVPI_AIO -> {
                if (d.moduleOffset() < 0 || d.moduleOffset() > 4096 - RevPiAioInput.MODULE_INPUT_BYTES) {
                    throw NodeConfigException.forField(file, "driver.moduleOffset", "must be 0..4076, got " + d.moduleOffset());
                }
            }
            case SIMULATED -> {
                return;
            }
        }
        for (Iterator<ChannelConfig> it = node.channels().iterator(); it.hasNext(); ) {
            new ChannelCheck(file, it.next(), type).validate();
        }
    }

    /** Checks of one channel on an ADC; each problem names the channel and the field. */
    private record ChannelCheck(Path file, ChannelConfig ch, DriverType driver) {

        void validate() throws NodeConfigException {
            SignalType signal = SignalType.find(ch.signal()).orElseThrow();
            switch (driver) {
                case ADS1115 -> validateAdc(signal, 3);
                case MCP3008 -> validateAdc(signal, 7);
                case REVPI_AIO -> validateRevPi(signal);
                case SIMULATED -> { }
            }
        }

        private void validateAdc(SignalType signal, int lastInput) throws NodeConfigException {
            int input = requireInputNumber(lastInput);
            if (driver == DriverType.ADS1115 && Ads1115Gain.of(ch.gain()).isEmpty()) {
                throw problem("gain", "unsupported PGA full scale " + ch.gain() + " V (one of " + Ads1115Gain.labels() + ")");
            }
            if (signal == SignalType.VOLT_PM_10) {
                throw problem("signal", "single-ended input " + input + " cannot measure negative voltages; use a level-shifting front end with signal raw");
            }
            if (signal.isCurrent() && (ch.shuntOhms() == null || ch.shuntOhms() <= 0)) {
                throw problem("shuntOhms", "missing: a current signal on an ADC needs the shunt resistor, e.g. 150");
            }
            if (signal.isRtd() && (ch.excitationMa() == null || ch.excitationMa() <= 0)) {
                throw problem("excitationMa", "missing: an RTD on an ADC needs the excitation current, e.g. 1.0");
            }
            if (ch.divider() <= 0) {
                throw problem("divider", "must be positive, got " + ch.divider());
            }
        }

        private int requireInputNumber(int last) throws NodeConfigException {
            if (ch.input() == null) {
                throw problem("input", "missing (0.." + last + ")");
            }
            try {
                int input = Integer.parseInt(ch.input().trim());
                if (input >= 0 && input <= last) {
                    return input;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw problem("input", "must be 0.." + last + ", got '" + ch.input() + "'");
        }

        private void validateRevPi(SignalType signal) throws NodeConfigException {
            if (ch.input() == null) {
                throw problem("input", "missing (one of " + RevPiAioInput.labels() + ")");
            }
            RevPiAioInput input = RevPiAioInput.find(ch.input()).orElseThrow(() ->
                    problem("input", "unknown AIO input '" + ch.input() + "' (one of " + RevPiAioInput.labels() + ")"));
            if (input.isRtd() && !(signal.isRtd() || signal == SignalType.RAW)) {
                throw problem("signal", input.label() + " is an RTD channel: use pt100, pt1000 or raw");
            }
            if (!input.isRtd() && signal.isRtd()) {
                throw problem("signal", input.label() + " measures voltage or current: use RTDValue_1/2 for RTDs");
            }
            if (ch.offset() != null && (ch.offset() < 0 || ch.offset() > 4094)) {
                throw problem("offset", "must be 0..4094, got " + ch.offset());
            }
        }

        private NodeConfigException problem(String field, String problem) {
            return NodeConfigException.forChannel(file, ch.id(), field, problem);
        }
    }
}
