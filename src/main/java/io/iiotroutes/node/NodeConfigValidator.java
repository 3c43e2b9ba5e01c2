package io.iiotroutes.node;

import io.iiotroutes.model.Reading;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a parsed node file against the model both sides read (ids, groups, channels, signals, ranges, units,
 * alarm limits); the first problem found is thrown, naming file, channel and field. What only a driver cares about
 * (addresses, inputs, gains, simulation blocks) is checked next to the drivers, by the edge
 * ({@link NodeConfigLoader#load(Path, NodeConfigCheck...)}).
 */
final class NodeConfigValidator {

    /** Ids end up in MQTT topics, file names and database tags. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final Path file;
    private final NodeConfig node;

    NodeConfigValidator(Path file, NodeConfig node) {
        this.file = file;
        this.node = node;
    }

    void validate() throws NodeConfigException {
        requireId("site", node.site());
        requireId("node", node.node());
        DriverType driver = validateDriver();
        if (node.staleAfterPeriods() < 1) {
            throw nodeField("staleAfterPeriods", "must be at least 1");
        }
        if (!node.delivery().confirmedByServer() && !DeliveryConfig.BROKER.equals(node.delivery().confirmedBy())) {
            throw nodeField("delivery.confirmedBy", "must be '" + DeliveryConfig.SERVER + "' or '" + DeliveryConfig.BROKER
                    + "', got '" + node.delivery().confirmedBy() + "'");
        }
        if (node.delivery().resendAfterS() < 1 || node.delivery().resendAfterS() > 3600) {
            throw nodeField("delivery.resendAfterS", "must be 1 to 3600 seconds, got " + node.delivery().resendAfterS());
        }
        if (!NodeConfig.JSON.equals(node.protocol()) && !node.sparkplugB()) {
            throw nodeField("protocol", "must be '" + NodeConfig.JSON + "' or '" + NodeConfig.SPARKPLUG_B + "', got '"
                    + node.protocol() + "'");
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
                    throw NodeConfigException.forChannel(file, id, "id", "duplicate channel id '" + id + "'");
                }
            }
        }
    }

    private DriverType validateDriver() throws NodeConfigException {
        DriverConfig d = node.driver();
        if (d == null) {
            throw nodeField("driver", "missing");
        }
        if (d.type() == null) {
            throw nodeField("driver.type", "missing (one of " + DriverType.labels() + ")");
        }
        return DriverType.find(d.type()).orElseThrow(() ->
                nodeField("driver.type", "unknown driver '" + d.type() + "' (one of " + DriverType.labels() + ")"));
    }

    private void requireId(String field, String value) throws NodeConfigException {
        if (value == null || value.isBlank()) {
            throw nodeField(field, "missing");
        }
        if (!SAFE_ID.matcher(value).matches()) {
            throw nodeField(field, "'" + value + "' may only contain letters, digits, '_', '.' and '-'");
        }
    }

    private NodeConfigException nodeField(String field, String problem) {
        return NodeConfigException.forField(file, field, problem);
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

        void validate() throws NodeConfigException {
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
        }

        /** Limits must be ordered ll < l < h < hh (those given); hysteresis and delay not negative. */
        private void validateAlarms() throws NodeConfigException {
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

        private void requireRange(String field, List<Double> range) throws NodeConfigException {
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

        private NodeConfigException problem(String field, String problem) {
            return NodeConfigException.forChannel(file, id, field, problem);
        }
    }
}
