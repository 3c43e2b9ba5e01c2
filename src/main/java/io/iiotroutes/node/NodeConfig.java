package io.iiotroutes.node;

import java.util.List;
import java.util.stream.Stream;

/** One node configuration file, as read; {@link NodeConfigLoader} validates it. */
public record NodeConfig(String site, String node, DriverConfig driver, Integer staleAfterPeriods,
                         List<GroupConfig> groups, DeliveryConfig delivery) {

    public static final int DEFAULT_STALE_AFTER_PERIODS = 3;

    public NodeConfig {
        staleAfterPeriods = staleAfterPeriods == null ? DEFAULT_STALE_AFTER_PERIODS : staleAfterPeriods;
        groups = groups == null ? List.of() : List.copyOf(groups);
        delivery = delivery == null ? DeliveryConfig.defaults() : delivery;
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
