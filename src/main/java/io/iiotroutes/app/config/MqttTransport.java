package io.iiotroutes.app.config;

import io.iiotroutes.net.NoDelaySocketFactory;
import io.iiotroutes.net.NoDelaySslSocketFactory;
import org.apache.camel.spi.PropertiesComponent;

import javax.net.SocketFactory;
import java.nio.file.Path;

/**
 * The sockets of every MQTT client of the process, by the scheme of {@code iiot.mqtt.url}: {@code ssl://} gets TLS
 * trusting {@code iiot.mqtt.tls.truststore} (password {@code iiot.mqtt.tls.truststore-password}, environment only;
 * unset: the JVM's CAs), {@code tcp://} plain TCP. Both with TCP_NODELAY.
 */
final class MqttTransport {

    private MqttTransport() {
    }

    static SocketFactory socketFactory(PropertiesComponent properties) {
        String url = Settings.optional(properties, "iiot.mqtt.url").orElse("tcp:");
        if (!url.startsWith("ssl://")) {
            return new NoDelaySocketFactory();
        }
        Path truststore = Settings.optional(properties, "iiot.mqtt.tls.truststore").map(Path::of).orElse(null);
        char[] password = Settings.optional(properties, "iiot.mqtt.tls.truststore-password")
                .map(String::toCharArray).orElse(null);
        return NoDelaySslSocketFactory.trusting(truststore, password);
    }
}
