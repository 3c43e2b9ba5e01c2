package io.iiotroutes.edge.config;

import io.iiotroutes.edge.EdgeConfigException;
import io.iiotroutes.edge.driver.Ads1115DataRate;
import io.iiotroutes.edge.driver.Ads1115Gain;
import io.iiotroutes.edge.driver.RevPiAioInput;
import io.iiotroutes.edge.sim.FaultType;
import io.iiotroutes.edge.sim.Shape;
import io.iiotroutes.model.Reading;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a parsed node file; the first problem found is thrown, naming file, channel and field. */
final class NodeConfigValidator {

    /** Ids end up in MQTT topics, file names and database tags. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final Path file;
    private final NodeConfig node;

    NodeConfigValidator(Path file, NodeConfig node) {
        this.file = file;
        this.node = node;
    }

    void validate() throws EdgeConfigException {
        requireId("site", node.site());
        requireId("node", node.node());
        DriverType driver = validateDriver();
        if (node.staleAfterPeriods() < 1) {
            throw nodeField("staleAfterPeriods", "must be at least 1");
        }
        if (node.groups().isEmpty()) {
            throw nodeField("groups", "missing: at least one group of channels is needed");
        }
        Set<String> groupNames = new HashSet<>();
        Set<String> channelIds = new HashSet<>();
        for (int g = 0; g < node.groups().size(); g++) {
            GroupConfig group = node.groups().get(g);
            String where = "groups[" + g + "]";
            if (group.name() == null || group.name().isBlank()) {
                throw nodeField(where + ".name", "missing");
            }
            if (!groupNames.add(group.name())) {
                throw nodeField(where + ".name", "duplicate group name '" + group.name() + "'");
            }
            if (group.periodMs() == null) {
                throw nodeField(where + ".periodMs", "missing");
            }
            if (group.periodMs() < 10) {
                throw nodeField(where + ".periodMs", "must be at least 10 ms, got " + group.periodMs());
            }
            if (group.channels().isEmpty()) {
                throw nodeField(where + ".channels", "missing: group '" + group.name() + "' has no channels");
            }
            for (int c = 0; c < group.channels().size(); c++) {
                ChannelConfig channel = group.channels().get(c);
                String id = channel.id() == null ? where + ".channels[" + c + "]" : channel.id();
                new ChannelCheck(id, channel, driver).validate();
                if (!channelIds.add(channel.id())) {
                    throw EdgeConfigException.forChannel(file, id, "id", "duplicate channel id '" + id + "'");
                }
            }
        }
    }

    private DriverType validateDriver() throws EdgeConfigException {
        DriverConfig d = node.driver();
        if (d == null) {
            throw nodeField("driver", "missing");
        }
        if (d.type() == null) {
            throw nodeField("driver.type", "missing (one of " + DriverType.labels() + ")");
        }
        DriverType type = DriverType.find(d.type()).orElseThrow(() ->
                nodeField("driver.type", "unknown driver '" + d.type() + "' (one of " + DriverType.labels() + ")"));
        switch (type) {
            case ADS1115 -> {
                if (d.address() < 0x48 || d.address() > 0x4B) {
                    throw nodeField("driver.address", "ADS1115 address must be 0x48..0x4B, got 0x" + Integer.toHexString(d.address()));
                }
                if (Ads1115DataRate.of(d.dataRate()).isEmpty()) {
                    throw nodeField("driver.dataRate", "unsupported data rate " + d.dataRate() + " (one of " + Ads1115DataRate.labels() + ")");
                }
            }
            case MCP3008 -> {
                if (d.vref() <= 0) {
                    throw nodeField("driver.vref", "must be positive, got " + d.vref());
                }
                if (d.chipSelect() < 0 || d.chipSelect() > 2) {
                    throw nodeField("driver.chipSelect", "must be 0, 1 or 2, got " + d.chipSelect());
                }
                if (d.baud() <= 0 || d.baud() > 3_600_000) {
                    throw nodeField("driver.baud", "must be 1..3600000 Hz (MCP3008 limit at 5 V), got " + d.baud());
                }
            }
            case REVPI_AIO -> {
                if (d.moduleOffset() < 0 || d.moduleOffset() > 4096 - RevPiAioInput.MODULE_INPUT_BYTES) {
                    throw nodeField("driver.moduleOffset", "must be 0..4076, got " + d.moduleOffset());
                }
            }
            case SIMULATED -> { }
        }
        return type;
    }

    private void requireId(String field, String value) throws EdgeConfigException {
        if (value == null || value.isBlank()) {
            throw nodeField(field, "missing");
        }
        if (!SAFE_ID.matcher(value).matches()) {
            throw nodeField(field, "'" + value + "' may only contain letters, digits, '_', '.' and '-'");
        }
    }

    private EdgeConfigException nodeField(String field, String problem) {
        return EdgeConfigException.forField(file, field, problem);
    }

    /** Checks of one channel; each problem names the channel and the field. */
    private final class ChannelCheck {
        private final String id;
        private final ChannelConfig ch;
        private final DriverType driver;

        ChannelCheck(String id, ChannelConfig ch, DriverType driver) {
            this.id = id;
            this.ch = ch;
            this.driver = driver;
        }

        void validate() throws EdgeConfigException {
            if (ch.id() == null) {
                throw problem("id", "missing");
            }
            if (!SAFE_ID.matcher(ch.id()).matches()) {
                throw problem("id", "'" + ch.id() + "' may only contain letters, digits, '_', '.' and '-'");
            }
            if (ch.signal() == null) {
                throw problem("signal", "missing (one of " + SignalType.labels() + ")");
            }
            SignalType signal = SignalType.find(ch.signal()).orElseThrow(() ->
                    problem("signal", "unknown signal type '" + ch.signal() + "' (one of " + SignalType.labels() + ")"));
            requireRange("range", ch.range());
            if (signal == SignalType.RAW && ch.signalRange() == null) {
                throw problem("signalRange", "missing: a raw channel needs the counts span, e.g. [0, 1023]");
            }
            if (ch.signalRange() != null) {
                requireRange("signalRange", ch.signalRange());
            }
            if (ch.unit() == null || ch.unit().isBlank()) {
                throw problem("unit", "missing");
            }
            if (ch.unit().length() > Reading.MAX_UNIT_LENGTH) {
                throw problem("unit", "longer than " + Reading.MAX_UNIT_LENGTH + " characters");
            }
            if (ch.average() < 1 || ch.average() > 100) {
                throw problem("average", "must be 1..100 samples, got " + ch.average());
            }
            if (ch.deadband() < 0) {
                throw problem("deadband", "must not be negative, got " + ch.deadband());
            }
            if (ch.heartbeatMs() <= 0) {
                throw problem("heartbeatMs", "must be positive, got " + ch.heartbeatMs());
            }
            validateAlarms();
            if (driver != DriverType.SIMULATED && !ch.faults().isEmpty()) {
                throw problem("faults", "fault injection only works with the simulated driver");
            }
            switch (driver) {
                case SIMULATED -> validateSimulation();
                case ADS1115 -> validateAdc(signal, 3);
                case MCP3008 -> validateAdc(signal, 7);
                case REVPI_AIO -> validateRevPi(signal);
            }
        }

        /** Limits must be ordered ll < l < h < hh (those given); hysteresis and delay not negative. */
        private void validateAlarms() throws EdgeConfigException {
            AlarmConfig alarms = ch.alarms();
            if (alarms == null) {
                return;
            }
            if (!alarms.hasLimits()) {
                throw problem("alarms", "no limit: give at least one of hh, h, l, ll");
            }
            Double previous = null;
            String previousName = null;
            String[] names = {"ll", "l", "h", "hh"};
            Double[] limits = {alarms.ll(), alarms.l(), alarms.h(), alarms.hh()};
            for (int i = 0; i < limits.length; i++) {
                if (limits[i] == null) {
                    continue;
                }
                if (!Double.isFinite(limits[i])) {
                    throw problem("alarms." + names[i], "must be a finite number");
                }
                if (previous != null && limits[i] <= previous) {
                    throw problem("alarms." + names[i], "must be above " + previousName + " (" + previous + "), got " + limits[i]);
                }
                previous = limits[i];
                previousName = names[i];
            }
            if (alarms.hysteresis() < 0) {
                throw problem("alarms.hysteresis", "must not be negative, got " + alarms.hysteresis());
            }
            if (alarms.delayMs() < 0) {
                throw problem("alarms.delayMs", "must not be negative, got " + alarms.delayMs());
            }
        }

        private void validateAdc(SignalType signal, int lastInput) throws EdgeConfigException {
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

        private int requireInputNumber(int last) throws EdgeConfigException {
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

        private void validateRevPi(SignalType signal) throws EdgeConfigException {
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

        private void validateSimulation() throws EdgeConfigException {
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

        private void requireRange(String field, List<Double> range) throws EdgeConfigException {
            if (range == null) {
                throw problem(field, "missing: [min, max]");
            }
            if (range.size() != 2 || range.stream().anyMatch(Objects::isNull)) {
                throw problem(field, "must be [min, max], got " + range);
            }
            if (range.get(0) >= range.get(1)) {
                throw problem(field, "inverted range " + range + ": min must be below max");
            }
        }

        private EdgeConfigException problem(String field, String problem) {
            return EdgeConfigException.forChannel(file, id, field, problem);
        }
    }
}
