package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the server publishes arrives on the topic it addressed it to, on brokers that offer MQTT 5 topic aliases (the
 * embedded HiveMQ and Mosquitto both do, a few per client). Paho gives the server's publisher aliases on its own, and
 * writes them into the MQTT properties of the message it sends; a reading's alarm event and the node's alarm state
 * are both published from the exchange the reading arrived with. The test drives exactly the sequence that once sent
 * a node's alarm events to its retained state topic: the last free alias goes to an event topic, the state topic
 * after it finds none left, and the node's next event follows.
 */
class ServerPublishTopicsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE = "it";
    /** Enough nodes for a broker that grants up to 20 aliases per client. */
    private static final int MAX_NODES = 11;

    @TempDir
    Path dir;
    private IiotApplication app;
    private MqttClient viewer;
    private String brokerUrl;
    private final Queue<String[]> seen = new ConcurrentLinkedQueue<>();

    @AfterEach
    void stop() throws Exception {
        if (viewer != null) {
            if (viewer.isConnected()) {   // Mosquitto is gone already when its test ends
                viewer.disconnect();
            }
            viewer.close();
        }
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void onTheEmbeddedHiveMq() throws Exception {
        TestServer server = TestServer.of(Mode.SERVER, dir.resolve("data")).anonymousPublishers();
        eventsAndStatesKeepTheirTopics(server, "tcp://127.0.0.1:" + server.brokerPort(), server.webPort());
    }

    @Test
    void onMosquitto() throws Exception {
        MosquittoBroker.requireInstalled();
        try (MosquittoBroker mosquitto = new MosquittoBroker(dir.resolve("mosquitto"), TestPorts.free())) {
            mosquitto.start();
            TestServer server = TestServer.of(Mode.SERVER, dir.resolve("data")).with("iiot.mqtt.url", mosquitto.url());
            eventsAndStatesKeepTheirTopics(server, mosquitto.url(), server.webPort());
        }
    }

    private void eventsAndStatesKeepTheirTopics(TestServer server, String brokerUrl, int webPort) throws Exception {
        this.brokerUrl = brokerUrl;
        Path nodeDir = Files.createDirectories(dir.resolve("nodes"));
        for (int n = 1; n <= MAX_NODES; n++) {
            AlarmNodeFile.write(nodeDir.resolve("alarm-" + n + ".yaml"), SITE, "alarm-" + n);
        }
        // no acknowledgements during the test: they would take aliases in an order the test does not control
        app = server.with("iiot.server.nodes", nodeDir.resolve("*.yaml").toString())
                .with("iiot.server.ack.period-ms", "3600000").start();
        int aliases = topicAliasMaximum(brokerUrl);
        int nodes = (aliases + 1) / 2 + 1;
        assertTrue(aliases > 0 && nodes <= MAX_NODES, "a broker that grants a few topic aliases: " + aliases);
        viewer = new MqttClient(brokerUrl, "it-viewer", new MemoryPersistence());
        viewer.connect();
        // the array form: Paho 1.2.5's subscribe(String, int, listener) recurses into itself
        viewer.subscribe(new MqttSubscription[] {new MqttSubscription(TopicContract.ROOT + "/#", 1)},
                new IMqttMessageListener[] {(topic, message) ->
                        seen.add(new String[] {topic, new String(message.getPayload(), StandardCharsets.UTF_8)})});

        if (aliases % 2 == 0) {
            // one dead letter first takes one alias, so the last free one goes to an alarm event topic
            publish(TopicContract.dataTopic(SITE, "junk"), "not json".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().anyMatch(m -> m[0].endsWith("/_deadletter")));
        }
        long seq = 0;
        for (double value : new double[] {9.0, 5.0}) {   // every node raises its alarm, then every node clears it
            seq++;
            for (int n = 1; n <= nodes; n++) {
                String node = "alarm-" + n;
                publish(TopicContract.dataTopic(SITE, node), new JsonMessageCodec().encode(NodeMessage.live(SITE, node, seq,
                        System.currentTimeMillis(), List.of(Reading.good("ai1", value, "bar", null)))));
                long expected = value > 8 ? n : nodes - n;
                await().atMost(Duration.ofSeconds(20)).until(() -> activeAlarms(webPort) == expected);
                // the state is published after the event, from the same exchange: both have left once it arrives
                int active = value > 8 ? 1 : 0;
                await().atMost(Duration.ofSeconds(20)).until(() -> latestActive(node) == active);
            }
        }

        Map<String, List<String>> eventsByTopic = new HashMap<>();
        List<String> misplaced = new ArrayList<>();
        for (String[] message : seen) {
            JsonNode payload = readOrNull(message[1]);
            boolean isEvent = payload != null && "alarm".equals(payload.path("type").asText());
            if (message[0].endsWith("/alarm")) {
                String node = payload == null ? "?" : payload.path("node").asText();
                if (!isEvent || !message[0].equals(TopicContract.alarmTopic(SITE, node))) {
                    misplaced.add(message[0] + " " + message[1]);
                }
                eventsByTopic.computeIfAbsent(message[0], t -> new ArrayList<>()).add(isEvent ? payload.path("event").asText() : "?");
            } else if (isEvent) {
                misplaced.add(message[0] + " " + message[1]);
            }
        }
        assertTrue(misplaced.isEmpty(), "messages on a topic they were not addressed to:\n" + String.join("\n", misplaced));
        for (int n = 1; n <= nodes; n++) {
            assertEquals(List.of("RAISED", "CLEARED"), eventsByTopic.get(TopicContract.alarmTopic(SITE, "alarm-" + n)),
                    "alarm-" + n + "'s events on its topic: " + eventsByTopic);
        }
        assertFalse(seen.stream().anyMatch(m -> m[0].contains("/_alarms/") && readOrNull(m[1]) == null),
                "every retained state readable");
    }

    private long activeAlarms(int webPort) throws Exception {
        return JSON.readTree(Http.get("http://127.0.0.1:" + webPort + "/api/alarms").body()).path("active").size();
    }

    /** The Topic Alias Maximum the broker announces in its CONNACK: how many aliases a client may use. */
    private static int topicAliasMaximum(String brokerUrl) throws Exception {
        MqttClient probe = new MqttClient(brokerUrl, "it-alias-probe", new MemoryPersistence());
        try {
            IMqttToken token = probe.connectWithResult(new MqttConnectionOptions());
            Integer maximum = token.getResponseProperties().getTopicAliasMaximum();
            return maximum == null ? 0 : maximum;
        } finally {
            probe.disconnect();
            probe.close();
        }
    }

    /** How many alarms the node's latest retained state on the broker lists, -1 before there is one. */
    private int latestActive(String node) {
        String topic = TopicContract.activeAlarmsTopic(SITE, node);
        JsonNode latest = null;
        for (String[] message : seen) {
            if (message[0].equals(topic)) {
                latest = readOrNull(message[1]);
            }
        }
        return latest == null || !latest.has("active") ? -1 : latest.path("active").size();
    }

    private void publish(String topic, byte[] payload) throws Exception {
        MqttClient node = new MqttClient(brokerUrl, "it-node", new MemoryPersistence());
        node.connect();
        node.publish(topic, payload, 1, false);
        node.disconnect();
        node.close();
    }

    private static JsonNode readOrNull(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }
}
