package io.iiotroutes.app.config;

import io.iiotroutes.mqtt.SharedSubscription;
import io.iiotroutes.server.IngestLimits;

import java.time.Duration;

/**
 * The server's settings ({@code iiot.server.*}, {@code iiot.site}, {@code iiot.api.max-points}; meanings in
 * docs/configuration.md), read once per start.
 *
 * @param subscription the data subscription, shared when this server is one of several replicas
 */
public record ServerSettings(String site, String clientId, SharedSubscription subscription, long sessionExpirySeconds,
                             long sharedSessionExpirySeconds, int batchMaxPoints, int batchMaxMessages, long batchLingerMillis,
                             boolean requireServices, Duration startupWait, String deadletterTopic,
                             int deadletterMaxPayloadChars, IngestLimits limits, String nodes, int alarmRecentEvents,
                             long replicaAlarmHoldMillis, int apiMaxPoints, Duration stall, Duration pingTimeout,
                             String legacySubscription, int maxPayloadBytes) {

    public static ServerSettings from(Settings settings) {
        return new ServerSettings(settings.string("iiot.site"), settings.string("iiot.server.client-id"),
                SharedSubscription.parse(settings.string("iiot.server.subscription")),
                settings.number("iiot.server.session-expiry-seconds"),
                settings.number("iiot.server.shared-session-expiry-seconds"),
                settings.integer("iiot.server.batch.max-points"), settings.integer("iiot.server.batch.max-messages"),
                settings.number("iiot.server.batch.linger-ms"),
                settings.flag("iiot.server.require-services"), settings.seconds("iiot.server.startup-wait-seconds"),
                settings.string("iiot.server.deadletter-topic"),
                settings.integer("iiot.server.deadletter-max-payload-chars"), limits(settings),
                settings.optional("iiot.server.nodes").orElse(""), settings.integer("iiot.server.alarm-recent-events"),
                settings.number("iiot.server.replica-alarm-hold-ms"), settings.integer("iiot.api.max-points"),
                settings.seconds("iiot.server.health.stall-seconds"),
                settings.seconds("iiot.server.health.ping-timeout-seconds"),
                settings.string("iiot.legacy.subscription"), settings.integer("iiot.server.max-payload-bytes"));
    }

    /** One of several replicas: its data subscription is shared (docs/deployment.md). */
    public boolean replicated() {
        return subscription.shared();
    }

    /** The data session's expiry: short for a replica, whose queued share must not wait for it (docs/deployment.md). */
    public long dataSessionExpirySeconds() {
        return replicated() ? sharedSessionExpirySeconds : sessionExpirySeconds;
    }

    /** The per-node resource limits (iiot.server.limits.*). */
    private static IngestLimits limits(Settings settings) {
        return new IngestLimits(limit(settings, IngestLimits.NODES), limit(settings, IngestLimits.NODES_PER_SITE),
                limit(settings, IngestLimits.CHANNELS_PER_NODE), limit(settings, IngestLimits.CHANNELS),
                limit(settings, IngestLimits.GAP_RANGES_PER_NODE));
    }

    private static int limit(Settings settings, String name) {
        return settings.integer(IngestLimits.PREFIX + name);
    }
}
