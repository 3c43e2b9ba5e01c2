package io.iiotroutes.app.config;

import io.iiotroutes.broker.BrokerSettings;

import io.iiotroutes.mqtt.PacketSize;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The embedded broker's settings ({@code iiot.broker.*}; meanings in docs/configuration.md), read once per start.
 *
 * @param listener         the plain listener, queues and persistence (its TLS listener is added by
 *                         {@link BrokerConfiguration} when {@code tlsPort} is set)
 * @param usersFile        the accounts that may connect besides the process's own
 * @param keystorePassword environment only
 */
public record EmbeddedBrokerSettings(BrokerSettings listener, Optional<Path> usersFile, boolean allowAnonymous,
                                     Optional<Integer> tlsPort, Optional<Path> keystore,
                                     Optional<String> keystorePassword, boolean tlsRequired) {

    public static EmbeddedBrokerSettings from(Settings settings) {
        return new EmbeddedBrokerSettings(new BrokerSettings(settings.string("iiot.broker.host"),
                settings.integer("iiot.broker.port"), settings.flag("iiot.broker.persistent"),
                settings.number("iiot.broker.max-queued-messages"), settings.integer("iiot.broker.server-receive-maximum"))
                // no packet larger than the server's payload limit allows: refused by the broker before it is read
                .withMaxPacketSize(PacketSize.forPayload(settings.integer("iiot.server.max-payload-bytes"))),
                settings.optional("iiot.broker.users-file").map(Path::of), settings.flag("iiot.broker.allow-anonymous"),
                settings.optional("iiot.broker.tls.port").map(Integer::parseInt),
                settings.optional("iiot.broker.tls.keystore").map(Path::of),
                settings.optional("iiot.broker.tls.keystore-password"), settings.flag("iiot.broker.tls.required"));
    }

    @Override
    public String toString() {
        return "EmbeddedBrokerSettings[listener=" + listener + ", usersFile=" + usersFile + ", allowAnonymous="
                + allowAnonymous + ", tlsPort=" + tlsPort + ", keystore=" + keystore + ", tlsRequired=" + tlsRequired + "]";
    }
}
