package io.iiotroutes.app.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the process's MQTT clients reach the broker ({@code iiot.mqtt.*}): as configured, or as
 * {@link BrokerConfiguration} makes them for its embedded broker (its URL, the account it made for this run, its
 * own certificate to trust).
 *
 * @param url                unset in server and demo mode: the embedded broker's, once it runs
 * @param username           the clients' username (an edge node's is its node id)
 * @param password           its password (environment only)
 * @param qos                QoS of every publish and subscription
 * @param truststore         with an {@code ssl://} URL: the certificates trusted (unset: the JVM's CAs)
 * @param truststorePassword the truststore's password (environment only)
 */
public record MqttSettings(Optional<String> url, Optional<String> username, Optional<String> password, int qos,
                           Optional<Path> truststore, Optional<String> truststorePassword) {

    public static MqttSettings from(Settings settings) {
        return new MqttSettings(settings.optional("iiot.mqtt.url"), settings.optional("iiot.mqtt.username"),
                settings.optional("iiot.mqtt.password"), settings.integer("iiot.mqtt.qos"),
                settings.optional("iiot.mqtt.tls.truststore").map(Path::of),
                settings.optional("iiot.mqtt.tls.truststore-password"));
    }

    /** The URL the clients connect to: the configured one, or the embedded broker's once it runs. */
    public String brokerUrl() {
        return url.orElseThrow(() -> new IllegalArgumentException("missing setting 'iiot.mqtt.url' (property"
                + " iiot.mqtt.url or environment variable " + Settings.environmentName("iiot.mqtt.url") + ")"));
    }

    MqttSettings withUrl(String brokerUrl) {
        return new MqttSettings(Optional.of(brokerUrl), username, password, qos, truststore, truststorePassword);
    }

    MqttSettings withAccount(String user, String secret) {
        return new MqttSettings(url, Optional.of(user), Optional.of(secret), qos, truststore, truststorePassword);
    }

    MqttSettings withTruststore(Path store, String secret) {
        return new MqttSettings(url, username, password, qos, Optional.of(store), Optional.of(secret));
    }

    @Override
    public String toString() {
        return "MqttSettings[url=" + url.orElse("(embedded)") + ", username=" + username.orElse("(none)")
                + ", password=" + (password.isPresent() ? "***" : "(none)") + ", qos=" + qos + ", truststore="
                + truststore.map(Path::toString).orElse("(JVM)") + "]";
    }
}
