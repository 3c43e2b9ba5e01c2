package io.iiotroutes.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * The server's subscriber: a persistent MQTT 5 session with manual acknowledgements that connects only when it
 * is first asked to subscribe.
 * <p>
 * Why connect late: camel-paho-mqtt5 4.17.0's consumer connects its own client before it installs the message
 * callback, so messages the broker held for a persistent session arrive with nobody listening, are dropped
 * unacknowledged and can stall the session. Handed to the consumer as {@code client=#bean}, this client is still
 * unconnected when the consumer sets its callback, and connects inside {@link #subscribe(String, int)}.
 */
public class SessionMqttClient extends MqttClient {

    private final MqttConnectionOptions options;

    public SessionMqttClient(String brokerUrl, String clientId, MqttConnectionOptions options) throws MqttException {
        super(brokerUrl, clientId, new MemoryPersistence());
        this.options = options;
        // acknowledge a message only when the route has finished with it (stored), never on arrival
        setManualAcks(true);
    }

    @Override
    public IMqttToken subscribe(String topicFilter, int qos) throws MqttException {
        if (!isConnected()) {
            connect(options);
        }
        return super.subscribe(topicFilter, qos);
    }

    /** Disconnects (keeping the broker-side session) and releases the client's resources. */
    public void shutdown() throws MqttException {
        try {
            if (isConnected()) {
                disconnect();
            }
        } finally {
            close(true);
        }
    }
}
