package io.iiotroutes.app.config;

import org.apache.camel.CamelContext;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Gives the MQTT clients of the Camel component (the server's legacy subscriber and dead-letter publisher) the
 * credentials {@code iiot.mqtt.username} / {@code iiot.mqtt.password}: those of the environment for an external
 * broker (e.g. EMQX in compose/), or the account the runtime made on its embedded broker. The server's session
 * clients and the edge publishers get theirs in {@code IiotRuntime}. Unset, nothing changes.
 */
final class MqttCredentials {

    private MqttCredentials() {
    }

    static void apply(CamelContext context, PropertiesComponent properties) {
        Settings.optional(properties, "iiot.mqtt.username").ifPresent(user -> {
            PahoMqtt5Configuration configuration = context.getComponent("paho-mqtt5", PahoMqtt5Component.class).getConfiguration();
            configuration.setUserName(user);
            Settings.optional(properties, "iiot.mqtt.password").ifPresent(configuration::setPassword);
        });
    }
}
