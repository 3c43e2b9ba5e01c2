package io.iiotroutes.app.config;

import org.apache.camel.CamelContext;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;

/**
 * Gives the MQTT clients the Camel component makes itself (the legacy subscriber, the replicas' and the alarm
 * state's subscriptions) the credentials of the process's
 * clients: those of {@code iiot.mqtt.username} / {@code iiot.mqtt.password} (from the environment for an external
 * broker, e.g. EMQX in compose/), or the account {@link BrokerConfiguration} made on its embedded broker. The
 * server's session clients get theirs in {@link MqttClientsConfiguration}, the edge publishers in
 * {@link EdgeConfiguration}. Without a username nothing changes.
 */
final class MqttCredentials {

    private MqttCredentials() {
    }

    static void apply(CamelContext context, MqttSettings mqtt) {
        mqtt.username().ifPresent(user -> {
            PahoMqtt5Configuration configuration = context.getComponent("paho-mqtt5", PahoMqtt5Component.class).getConfiguration();
            configuration.setUserName(user);
            mqtt.password().ifPresent(configuration::setPassword);
        });
    }
}
