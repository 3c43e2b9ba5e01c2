package io.iiotroutes.app.config;

import io.iiotroutes.edge.forward.JournalSettings;
import io.iiotroutes.edge.forward.OverflowPolicy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The edge's settings ({@code iiot.edge.*}; meanings in docs/configuration.md), read once per start.
 *
 * @param nodeFiles               one node per file
 * @param journal                 each node's store-and-forward journal
 * @param unacknowledgedSeconds   the delivery health check is DOWN once the oldest entry waited this long
 */
public record EdgeSettings(List<Path> nodeFiles, JournalSettings journal, long unacknowledgedSeconds,
                           Optional<String> sparkplugPrimaryHost) {

    public static EdgeSettings from(Settings settings) {
        return new EdgeSettings(Arrays.stream(settings.string("iiot.edge.nodes").split(","))
                .map(file -> Path.of(file.trim())).toList(),
                journal(settings), settings.number("iiot.edge.health.unacknowledged-seconds"),
                settings.optional("iiot.edge.sparkplug.primary-host"));
    }

    /** Size bound, overflow policy and durability of each node's journal ({@code iiot.edge.journal.*}). */
    static JournalSettings journal(Settings settings) {
        JournalSettings journal = JournalSettings.bounded(settings.number("iiot.edge.journal.max-bytes"),
                settings.choice("iiot.edge.journal.overflow", OverflowPolicy.class));
        long fsyncInterval = settings.number("iiot.edge.journal.fsync-interval-ms");
        return fsyncInterval > 0 ? journal.withFsyncInterval(fsyncInterval) : journal;
    }
}
