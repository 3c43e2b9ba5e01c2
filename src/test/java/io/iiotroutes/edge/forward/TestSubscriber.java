package io.iiotroutes.edge.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.net.NoDelaySocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real Paho subscriber recording every data message and status payload it receives, in arrival order. */
final class TestSubscriber implements AutoCloseable {

    record Status(JsonNode json, boolean retained) {
        String state() {
            return json.path("state").asText();
        }

        String reason() {
            return json.path("reason").asText(null);
        }
    }

    private static final long TIMEOUT_MILLIS = 10_000;

    final List<NodeMessage> data = new CopyOnWriteArrayList<>();
    final List<Status> statuses = new CopyOnWriteArrayList<>();
    final List<String> undecodable = new CopyOnWriteArrayList<>();
    private final JsonMessageCodec codec = new JsonMessageCodec();
    private final ObjectMapper mapper = new ObjectMapper();
    private final MqttAsyncClient client;

    /** A session the broker keeps (and queues for) while this client or the broker is down. */
    static TestSubscriber persistent(String url, String clientId, String... topics) throws MqttException {
        return new TestSubscriber(url, clientId, false, topics);
    }

    static TestSubscriber fresh(String url, String clientId, String... topics) throws MqttException {
        return new TestSubscriber(url, clientId, true, topics);
    }

    private TestSubscriber(String url, String clientId, boolean cleanStart, String... topics) throws MqttException {
        client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        client.setCallback(new Recorder());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(cleanStart);
        if (!cleanStart) {
            options.setSessionExpiryInterval(3600L);
        }
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 1);
        options.setSocketFactory(new NoDelaySocketFactory());
        client.connect(options).waitForCompletion(TIMEOUT_MILLIS);
        int[] qos = new int[topics.length];
        Arrays.fill(qos, 1);
        IMqttToken subscribed = client.subscribe(topics, qos);
        subscribed.waitForCompletion(TIMEOUT_MILLIS);
    }

    List<Long> seqs() {
        List<Long> seqs = new ArrayList<>();
        for (NodeMessage message : data) {
            seqs.add(message.seq());
        }
        return seqs;
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(TIMEOUT_MILLIS);
            }
        } finally {
            client.close(true);
        }
    }

    private final class Recorder implements MqttCallback {

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            try {
                if (topic.endsWith("/data")) {
                    data.add(codec.decode(message.getPayload()));
                } else {
                    statuses.add(new Status(mapper.readTree(message.getPayload()), message.isRetained()));
                }
            } catch (Exception e) {
                undecodable.add(topic + ": " + e.getMessage());
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
