package io.iiotroutes.app.config;

import io.iiotroutes.model.TopicContract;
import io.iiotroutes.sparkplug.SparkplugHost;

import java.util.Arrays;
import java.util.List;

/**
 * The server's Sparkplug B host application ({@code iiot.sparkplug.*}, docs/configuration.md), read once per start.
 *
 * @param groups the group ids to subscribe to; empty: every group ({@code spBv1.0/#})
 */
public record SparkplugSettings(String hostId, List<String> groups, SparkplugHost.Limits limits) {

    public static SparkplugSettings from(Settings settings) {
        String hostId = settings.string("iiot.sparkplug.host-id");
        requireId("iiot.sparkplug.host-id", hostId);
        List<String> groups = Arrays.stream(settings.optional("iiot.sparkplug.groups").orElse("").split(","))
                .map(String::trim).filter(g -> !g.isEmpty()).toList();
        groups.forEach(group -> requireId("iiot.sparkplug.groups", group));
        SparkplugHost.Limits limits = new SparkplugHost.Limits(settings.integer("iiot.sparkplug.max-identities"),
                settings.integer("iiot.sparkplug.max-devices-per-node"), settings.integer("iiot.sparkplug.max-metrics-per-birth"),
                settings.number("iiot.sparkplug.max-metrics"), settings.integer("iiot.sparkplug.max-timestamps-per-message"),
                settings.integer("iiot.server.max-payload-bytes"), settings.number("iiot.sparkplug.rebirth-interval-ms"));
        return new SparkplugSettings(hostId, groups, limits);
    }

    private static void requireId(String setting, String id) {
        if (!TopicContract.isValidId(id)) {
            throw new IllegalArgumentException(setting + ": '" + id + "' must match " + TopicContract.ID_PATTERN);
        }
    }
}
