package io.iiotroutes.sparkplug;

import io.iiotroutes.mqtt.SessionMqttClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSecurityException;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.MessageType;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.message.model.SparkplugMeta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.List;

/**
 * The host application's MQTT 5 session (Sparkplug 3.0, host application): clean start, no session expiry, its death
 * certificate as will ({@code spBv1.0/STATE/{host id}}, {@code {"online":false,"timestamp":<connect time>}}, QoS 1,
 * retained) registered afresh at every connect, its subscriptions (the namespace, or a filter per group and its own
 * STATE), then its birth ({@code "online":true} with the same timestamp, QoS 1, retained). Before a clean disconnect
 * it publishes its death with the time of the disconnect.
 * <p>
 * The ingest route consumes it as {@code client=#}{@value io.iiotroutes.app.config.SparkplugConfiguration#CLIENT}
 * (manual acknowledgements: a message is acknowledged once stored); the host publishes its rebirth requests (NCMD,
 * QoS 0, as Sparkplug asks) with it, so all a host does on the broker is one MQTT client, as the specification wants.
 */
public class SparkplugHostClient extends SessionMqttClient implements SparkplugHost.Commands {

    private static final Logger LOG = LoggerFactory.getLogger(SparkplugHostClient.class);

    private final String hostId;
    private final List<String> filters;
    private final Clock clock;
    private volatile long stateTimestamp;

    /**
     * @param filters the host's subscriptions ({@link SparkplugTopics#hostSubscriptions}); the consumer subscribes
     *                to the first, this client to the others
     */
    public SparkplugHostClient(String brokerUrl, String clientId, MqttConnectionOptions options, String hostId,
                               List<String> filters) throws MqttException {
        this(brokerUrl, clientId, options, hostId, filters, Clock.systemUTC());
    }

    SparkplugHostClient(String brokerUrl, String clientId, MqttConnectionOptions options, String hostId,
                        List<String> filters, Clock clock) throws MqttException {
        super(brokerUrl, clientId, options);
        this.hostId = hostId;
        this.filters = List.copyOf(filters);
        this.clock = clock;
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
    }

    /** Every connect, first or again, registers a death certificate stamped with the time of this connect. */
    @Override
    public void connect(MqttConnectionOptions options) throws MqttSecurityException, MqttException {
        long timestamp = clock.millis();
        options.setWill(SparkplugTopics.stateTopic(hostId), state(false, timestamp));
        stateTimestamp = timestamp;
        super.connect(options);
    }

    /**
     * The consumer's subscription (the first filter), the others, then the birth: Sparkplug wants the host
     * subscribed, its own STATE included, before it says it is online.
     */
    @Override
    public IMqttToken subscribe(String topicFilter, int qos) throws MqttException {
        IMqttToken token = super.subscribe(topicFilter, qos);
        List<String> others = filters.stream().filter(f -> !f.equals(topicFilter)).toList();
        if (!others.isEmpty()) {
            int[] qoss = new int[others.size()];
            java.util.Arrays.fill(qoss, qos);
            super.subscribe(others.toArray(new String[0]), qoss);
        }
        publishBirth();
        return token;
    }

    private void publishBirth() throws MqttException {
        publish(SparkplugTopics.stateTopic(hostId), state(true, stateTimestamp));
        LOG.info("Sparkplug host {} online (STATE birth, timestamp {})", hostId, stateTimestamp);
    }

    /**
     * Called while a message is being handled, on Paho's callback thread: published without waiting (the synchronous
     * client waits for a completion that this very thread would deliver, and times out).
     */
    @Override
    public void republishState() {
        try {
            if (isConnected()) {
                aClient.publish(SparkplugTopics.stateTopic(hostId), state(true, stateTimestamp));
            }
        } catch (MqttException e) {
            LOG.warn("STATE birth of {} not published again: {}", hostId, e.getMessage());
        }
    }

    /**
     * NCMD {@code Node Control/Rebirth = true} to the edge node, QoS 0, not retained (Sparkplug 3.0). Without waiting,
     * as {@link #republishState}: it is asked for while a message is handled.
     */
    @Override
    public void requestRebirth(String group, String edgeNode) {
        try {
            aClient.publish(SparkplugTopics.nodeTopic(group, MessageType.NCMD, edgeNode), rebirthRequest(clock.millis()),
                    0, false);
            LOG.info("Rebirth requested from Sparkplug edge node {}/{}", group, edgeNode);
        } catch (MqttException | IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The payload of a rebirth request, as Sparkplug defines it (Tahu's encoder). */
    public static byte[] rebirthRequest(long timestamp) throws IOException {
        try {
            Metric rebirth = new Metric.MetricBuilder(SparkplugMeta.METRIC_NODE_REBIRTH, MetricDataType.Boolean, true)
                    .createMetric();
            SparkplugBPayload payload = new SparkplugBPayload.SparkplugBPayloadBuilder()
                    .setTimestamp(new Date(timestamp)).addMetric(rebirth).createPayload();
            return new SparkplugBPayloadEncoder().getBytes(payload, false);
        } catch (org.eclipse.tahu.SparkplugInvalidTypeException e) {
            throw new IOException(e);
        }
    }

    /** Publishes the death (time of the disconnect) before disconnecting, then releases the client. */
    @Override
    public void shutdown() throws MqttException {
        try {
            if (isConnected()) {
                publish(SparkplugTopics.stateTopic(hostId), state(false, clock.millis()));
            }
        } catch (MqttException e) {
            LOG.debug("STATE death of {} not published: {}", hostId, e.toString());
        }
        super.shutdown();
    }

    /** A STATE message of Sparkplug 3.0: JSON, QoS 1, retained. */
    static MqttMessage state(boolean online, long timestamp) {
        MqttMessage message = new MqttMessage(("{\"online\":" + online + ",\"timestamp\":" + timestamp + "}")
                .getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        message.setRetained(true);
        return message;
    }

    /** The timestamp of this connection's birth and will. */
    public long stateTimestamp() {
        return stateTimestamp;
    }
}
