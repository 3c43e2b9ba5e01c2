package io.iiotroutes.node;

import java.util.List;
import java.util.stream.Stream;

/**
 * One node configuration file, as read; {@link NodeConfigLoader} validates it.
 *
 * @param protocol what the node speaks on MQTT: {@value #JSON} (our contract, the default) or {@value #SPARKPLUG_B}
 *                 (a Sparkplug B edge node, its site as group id; docs/edge-nodes.md)
 */
public record NodeConfig(String site, String node, DriverConfig driver, Integer staleAfterPeriods,
                         List<GroupConfig> groups, DeliveryConfig delivery, String protocol) {

    public static final int DEFAULT_STALE_AFTER_PERIODS = 3;
    public static final String JSON = "json";
    public static final String SPARKPLUG_B = "sparkplug-b";

    public NodeConfig {
        staleAfterPeriods = staleAfterPeriods == null ? DEFAULT_STALE_AFTER_PERIODS : staleAfterPeriods;
        groups = groups == null ? List.of() : List.copyOf(groups);
        delivery = delivery == null ? DeliveryConfig.defaults() : delivery;
        protocol = protocol == null ? JSON : protocol.trim().toLowerCase(java.util.Locale.ROOT);
    }

    public NodeConfig(String site, String node, DriverConfig driver, Integer staleAfterPeriods, List<GroupConfig> groups,
                      DeliveryConfig delivery) {
        this(site, node, driver, staleAfterPeriods, groups, delivery, null);
    }

    public boolean sparkplugB() {
        return SPARKPLUG_B.equals(protocol);
    }

    public NodeConfig(String site, String node, DriverConfig driver, Integer staleAfterPeriods, List<GroupConfig> groups) {
        this(site, node, driver, staleAfterPeriods, groups, null);
    }

    public Stream<ChannelConfig> channels() {
        return groups.stream().flatMap(g -> g.channels().stream());
    }

    /** The timer period: the fastest group's period. */
    public long fastestPeriodMs() {
        return groups.stream().mapToLong(GroupConfig::periodMs).min().orElseThrow();
    }
}
