package io.iiotroutes.node;

import java.util.List;

/** Channels sampled together every periodMs. */
public record GroupConfig(String name, Long periodMs, List<ChannelConfig> channels) {

    public GroupConfig {
        channels = channels == null ? List.of() : List.copyOf(channels);
    }
}
