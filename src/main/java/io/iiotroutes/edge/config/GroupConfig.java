package io.iiotroutes.edge.config;

import java.util.List;

/** Channels sampled together every periodMs. */
public record GroupConfig(String name, Long periodMs, List<ChannelConfig> channels) {

    public GroupConfig {
        channels = channels == null ? List.of() : List.copyOf(channels);
    }
}
