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
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server acknowledges to a node, on iiot/v1/{site}/{node}/ack, every sequence number it stored, and those it
 * dead-lettered with a reason (here: beyond a per-node limit), in compact ranges; nothing it did not store.
 */
class AcknowledgementIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    private IiotApplication app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void everyStoredOrDeadLetteredSeqIsAcknowledgedInRanges() throws Exception {
        TestServer server = TestServer.of(Mode.SERVER, dataDir).anonymousPublishers()
                .with("iiot.server.limits.max-unconfigured-channels-per-node", "1");
        app = server.start();
        String url = "tcp://127.0.0.1:" + server.brokerPort();
        Set<Long> acknowledged = new ConcurrentSkipListSet<>();
        List<JsonNode> payloads = new java.util.concurrent.CopyOnWriteArrayList<>();
        MqttClient node = new MqttClient(url, "it-ack-1", new MemoryPersistence());
        node.connect();
        IMqttMessageListener onAck = (topic, message) -> {
            JsonNode ack = JSON.readTree(message.getPayload());
            payloads.add(ack);
            for (JsonNode range : ack.get("ranges")) {
                for (long seq = range.get(0).asLong(); seq <= range.get(1).asLong(); seq++) {
                    acknowledged.add(seq);
                }
            }
        };
        node.subscribe(new MqttSubscription[]{new MqttSubscription(TopicContract.ackTopic("it", "ack-1"), 1)},
                new IMqttMessageListener[]{onAck});

        JsonMessageCodec codec = new JsonMessageCodec();
        long now = System.currentTimeMillis();
        for (long seq = 1; seq <= 30; seq++) {
            // seq 31..: a second channel, beyond the node's limit of one channel not in a node file
            node.publish(TopicContract.dataTopic("it", "ack-1"), codec.encode(NodeMessage.live("it", "ack-1", seq, now + seq,
                    List.of(Reading.good("ai1", seq, "bar", null)))), 1, false);
        }
        node.publish(TopicContract.dataTopic("it", "ack-1"), codec.encode(NodeMessage.live("it", "ack-1", 31, now + 31,
                List.of(Reading.good("ai2", 31, "bar", null)))), 1, false);

        Set<Long> expected = new TreeSet<>();
        for (long seq = 1; seq <= 31; seq++) {
            expected.add(seq);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(expected, new TreeSet<>(acknowledged)));
        String tsdbUrl = app.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
        assertEquals(30, TsdbRows.count(tsdbUrl, "node = 'ack-1'"), "30 stored; seq 31 dead-lettered with its reason");
        assertTrue(payloads.size() < 31, "batched: " + payloads.size() + " acknowledgements for 31 messages");
        JsonNode first = payloads.get(0);
        assertEquals("it", first.get("site").asText());
        assertEquals("ack-1", first.get("node").asText());
        assertEquals(1, first.get("version").asInt());
        node.disconnect();
        node.close();
    }
}
