package io.iiotroutes.app;

import org.apache.camel.CamelContext;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Gives every MQTT client of the process the credentials {@code iiot.mqtt.username} / {@code iiot.mqtt.password}
 * (a broker with authentication, e.g. EMQX in compose/): the edge node's publisher, and the server's status
 * subscriber and dead-letter publisher (the server's data subscriber gets them in {@code IiotRuntime}).
 * Unset, nothing changes.
 */
final class MqttCredentials {

    private MqttCredentials() {
    }

    static void apply(CamelContext context, PropertiesComponent properties) {
        IiotRuntime.optional(properties, "iiot.mqtt.username").ifPresent(user -> {
            PahoMqtt5Configuration configuration = context.getComponent("paho-mqtt5", PahoMqtt5Component.class).getConfiguration();
            configuration.setUserName(user);
            IiotRuntime.optional(properties, "iiot.mqtt.password").ifPresent(configuration::setPassword);
        });
    }
}
