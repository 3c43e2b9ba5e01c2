package io.iiotroutes.app.config;

import io.iiotroutes.net.NoDelaySocketFactory;
import io.iiotroutes.net.NoDelaySslSocketFactory;

import javax.net.SocketFactory;

/**
 * The sockets of every MQTT client of the process, by the scheme of {@code iiot.mqtt.url}: {@code ssl://} gets TLS
 * trusting {@code iiot.mqtt.tls.truststore} (password {@code iiot.mqtt.tls.truststore-password}, environment only;
 * unset: the JVM's CAs), {@code tcp://} plain TCP. Both with TCP_NODELAY.
 */
final class MqttTransport {

    private MqttTransport() {
    }

    static SocketFactory socketFactory(MqttSettings mqtt) {
        String url = mqtt.url().orElse("tcp:");
        if (!url.startsWith("ssl://")) {
            return new NoDelaySocketFactory();
        }
        return NoDelaySslSocketFactory.trusting(mqtt.truststore().orElse(null),
                mqtt.truststorePassword().map(String::toCharArray).orElse(null));
    }
}
