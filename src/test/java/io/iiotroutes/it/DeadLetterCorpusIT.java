package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile and broken payloads interleaved with good ones: every bad one is dead-lettered with its reason, every good one stored. */
class DeadLetterCorpusIT {

    private static final String SITE = "it";
    private static final String NODE = "corpus-1";
    private static final String TOPIC = "iiot/v1/" + SITE + "/" + NODE + "/data";
    private static final int MAX_PAYLOAD = 4096;

    @TempDir
    Path dataDir;
    private IiotApplication app;
    private int brokerPort;
    private int webPort;

    @BeforeEach
    void startServer() throws Exception {
        TestServer server = TestServer.of(Mode.SERVER, dataDir).anonymousPublishers()
                .with("iiot.server.max-payload-bytes", Integer.toString(MAX_PAYLOAD));
        brokerPort = server.brokerPort();
        webPort = server.webPort();
        app = server.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        app.stop();
    }

    /** A bad payload and a phrase its dead-letter reason must contain. */
    record Bad(String payload, String reason) {
    }

    private static String msg(String fields) {
        return "{" + fields + "}";
    }

    private static List<Bad> corpus(long now) {
        String head = "\"version\":1,\"site\":\"it\",\"node\":\"corpus-1\",\"seq\":1,\"ts\":" + now + ",";
        String good = "{\"channel\":\"ai1\",\"value\":1.0,\"unit\":\"bar\",\"quality\":\"GOOD\"}";
        List<Bad> bad = new ArrayList<>(List.of(
                // malformed
                new Bad("{", "malformed JSON"), new Bad("", "empty payload"), new Bad("null", "not a JSON object"),
                new Bad("[]", "not a JSON object"), new Bad("42", "not a JSON object"), new Bad("\"text\"", "not a JSON object"),
                new Bad("{\"version\":1", "malformed JSON"), new Bad(msg(head + "\"readings\":[" + good + "]") + "}", "malformed JSON"),
                new Bad("{'version':1}", "malformed JSON"), new Bad("\u0000\u0001\u0002garbage", "malformed JSON"),
                new Bad(msg(head + "\"readings\":[" + good + "],\"seq\":2"), "malformed JSON"),
                // wrong types
                new Bad(msg("\"version\":\"1\",\"site\":\"it\",\"node\":\"corpus-1\",\"seq\":1,\"ts\":" + now + ",\"readings\":[" + good + "]"), "'version' must be an integer"),
                new Bad(msg("\"version\":1,\"site\":\"it\",\"node\":\"corpus-1\",\"seq\":\"1\",\"ts\":" + now + ",\"readings\":[" + good + "]"), "'seq' must be an integer"),
                new Bad(msg("\"version\":1,\"site\":\"it\",\"node\":\"corpus-1\",\"seq\":1.5,\"ts\":" + now + ",\"readings\":[" + good + "]"), "'seq' must be an integer"),
                new Bad(msg("\"version\":1,\"site\":\"it\",\"node\":\"corpus-1\",\"seq\":1,\"ts\":\"" + now + "\",\"readings\":[" + good + "]"), "'ts' must be an integer"),
                new Bad(msg("\"version\":1,\"site\":7,\"node\":\"corpus-1\",\"seq\":1,\"ts\":" + now + ",\"readings\":[" + good + "]"), "'site' must be a non-empty string"),
                new Bad(msg(head + "\"readings\":{}"), "'readings' must be a non-empty array"),
                new Bad(msg(head + "\"readings\":[1]"), "readings[0] is not an object"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"value\":\"1.0\",\"unit\":\"bar\",\"quality\":\"GOOD\"}]"), "value must be a number"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"value\":true,\"unit\":\"bar\",\"quality\":\"GOOD\"}]"), "value must be a number"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"value\":1,\"unit\":\"bar\",\"raw\":1.5,\"quality\":\"GOOD\"}]"), "raw must be an integer"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"value\":1,\"unit\":\"bar\",\"quality\":1}]"), "quality must be a non-empty string"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"value\":1,\"unit\":5,\"quality\":\"GOOD\"}]"), "unit must be a non-empty string"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"value\":1,\"unit\":\"bar\",\"quality\":\"good\"}]"), "quality must be GOOD, UNCERTAIN or BAD"),
                new Bad(msg(head + "\"historical\":\"yes\",\"readings\":[" + good + "]"), "'historical' must be a boolean"),
                // not finite
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"value\":NaN,\"unit\":\"bar\",\"quality\":\"GOOD\"}]"), "malformed JSON"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"value\":Infinity,\"unit\":\"bar\",\"quality\":\"GOOD\"}]"), "malformed JSON"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"value\":-Infinity,\"unit\":\"bar\",\"quality\":\"GOOD\"}]"), "malformed JSON"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"value\":1e999,\"unit\":\"bar\",\"quality\":\"GOOD\"}]"), "not finite"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"value\":-1e999,\"unit\":\"bar\",\"quality\":\"GOOD\"}]"), "not finite"),
                // size
                new Bad(msg(head + "\"readings\":[" + good + "],\"pad\":\"" + "x".repeat(MAX_PAYLOAD) + "\""), "over the limit"),
                new Bad("y".repeat(MAX_PAYLOAD * 4), "over the limit"),
                // schema version
                new Bad(msg(head.replace("\"version\":1", "\"version\":0") + "\"readings\":[" + good + "]"), "unknown schema version 0"),
                new Bad(msg(head.replace("\"version\":1", "\"version\":2") + "\"readings\":[" + good + "]"), "unknown schema version 2"),
                new Bad(msg(head.replace("\"version\":1", "\"version\":99") + "\"readings\":[" + good + "]"), "unknown schema version 99"),
                // clock
                new Bad(msg(head.replace("\"ts\":" + now, "\"ts\":" + (now + 3_600_000)) + "\"readings\":[" + good + "]"), "ahead of the server clock"),
                new Bad(msg(head.replace("\"ts\":" + now, "\"ts\":" + (now + 86_400_000)) + "\"readings\":[" + good + "]"), "ahead of the server clock"),
                new Bad(msg(head.replace("\"ts\":" + now, "\"ts\":0") + "\"readings\":[" + good + "]"), "older than the allowed"),
                new Bad(msg(head.replace("\"ts\":" + now, "\"ts\":" + (now - 40L * 86_400_000)) + "\"readings\":[" + good + "]"), "older than the allowed"),
                new Bad(msg(head.replace("\"ts\":" + now, "\"ts\":-5") + "\"readings\":[" + good + "]"), "older than the allowed"),
                // a node speaking for another
                new Bad(msg(head.replace("corpus-1", "corpus-2") + "\"readings\":[" + good + "]"), "arrived on the topic of it/corpus-1"),
                new Bad(msg(head.replace("\"site\":\"it\"", "\"site\":\"other\"") + "\"readings\":[" + good + "]"), "arrived on the topic of it/corpus-1"),
                new Bad(msg(head.replace("corpus-1", "Corpus-1") + "\"readings\":[" + good + "]"), "arrived on the topic of it/corpus-1"),
                // ids unsafe as tags, duplicates
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai 1\",\"value\":1,\"unit\":\"bar\",\"quality\":\"GOOD\"}]"), "channel id 'ai 1'"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1,node=x\",\"value\":1,\"unit\":\"bar\",\"quality\":\"GOOD\"}]"), "channel id 'ai1,node=x'"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\\nreading x=1\",\"value\":1,\"unit\":\"bar\",\"quality\":\"GOOD\"}]"), "channel id"),
                new Bad(msg(head + "\"readings\":[" + good + "," + good + "]"), "appears twice"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"value\":1,\"unit\":\"bar\\nreading x=1\",\"quality\":\"GOOD\"}]"), "contains control characters"),
                // missing fields
                new Bad(msg("\"site\":\"it\",\"node\":\"corpus-1\",\"seq\":1,\"ts\":" + now + ",\"readings\":[" + good + "]"), "'version' must be an integer"),
                new Bad(msg("\"version\":1,\"site\":\"it\",\"node\":\"corpus-1\",\"ts\":" + now + ",\"readings\":[" + good + "]"), "'seq' must be an integer"),
                new Bad(msg("\"version\":1,\"site\":\"it\",\"node\":\"corpus-1\",\"seq\":1,\"readings\":[" + good + "]"), "'ts' must be an integer"),
                new Bad(msg(head.substring(0, head.length() - 1)), "'readings' must be a non-empty array"),
                new Bad(msg(head + "\"readings\":[]"), "'readings' must be a non-empty array"),
                new Bad(msg(head + "\"readings\":[{\"value\":1,\"unit\":\"bar\",\"quality\":\"GOOD\"}]"), "channel must be a non-empty string"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"value\":1,\"quality\":\"GOOD\"}]"), "unit must be a non-empty string"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"value\":1,\"unit\":\"bar\"}]"), "quality must be a non-empty string"),
                new Bad(msg(head + "\"readings\":[{\"channel\":\"ai1\",\"unit\":\"bar\",\"quality\":\"GOOD\"}]"), "may be null only when quality is BAD")));
        return bad;
    }

    @Test
    void everyBadPayloadIsDeadLetteredWithItsReasonAndEveryGoodOneStored() throws Exception {
        long now = System.currentTimeMillis();
        List<Bad> bad = corpus(now);
        assertTrue(bad.size() >= 50, "corpus has " + bad.size());
        JsonMessageCodec codec = new JsonMessageCodec();
        List<String> deadLetterTopic = new CopyOnWriteArrayList<>();

        MqttClient watcher = new MqttClient("tcp://127.0.0.1:" + brokerPort, "it-deadletter-watch", new MemoryPersistence());
        watcher.connect();
        // the array form: Paho 1.2.5's subscribe(String, int, listener) recurses into itself
        watcher.subscribe(new MqttSubscription[]{new MqttSubscription("iiot/v1/_deadletter", 1)},
                new IMqttMessageListener[]{(topic, message) ->
                        deadLetterTopic.add(new String(message.getPayload(), StandardCharsets.UTF_8))});
        MqttClient node = new MqttClient("tcp://127.0.0.1:" + brokerPort, "it-corpus-1", new MemoryPersistence());
        node.connect();
        int good = 0;
        for (Bad b : bad) {
            good++;
            NodeMessage message = NodeMessage.live(SITE, NODE, good, now + good, List.of(Reading.good("ai1", good, "bar", null)));
            node.publish(TOPIC, codec.encode(message), 1, false);
            node.publish(TOPIC, b.payload().getBytes(StandardCharsets.UTF_8), 1, false);
        }
        good++;
        node.publish(TOPIC, codec.encode(NodeMessage.live(SITE, NODE, good, now + good, List.of(Reading.good("ai1", good, "bar", null)))), 1, false);
        node.disconnect();
        node.close();

        String tsdbUrl = app.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
        int goodCount = good;
        await().atMost(Duration.ofSeconds(60)).until(() -> TsdbRows.count(tsdbUrl, "node = '" + NODE + "'") == goodCount);
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetterRows(tsdbUrl).size() == bad.size());

        List<Map<String, Object>> rows = deadLetterRows(tsdbUrl);
        for (int i = 0; i < bad.size(); i++) {
            String reason = (String) rows.get(i).get("reason");
            assertTrue(reason.contains(bad.get(i).reason()), "bad payload " + i + ": expected '" + bad.get(i).reason()
                    + "' in '" + reason + "'");
            assertEquals("validation", rows.get(i).get("stage"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetterTopic.size() == bad.size());
        assertTrue(deadLetterTopic.get(0).contains("\"reason\":"), deadLetterTopic.get(0));
        watcher.disconnect();
        watcher.close();

        HttpResponse<String> pipeline = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + webPort + "/api/pipeline")).build(), HttpResponse.BodyHandlers.ofString());
        com.fasterxml.jackson.databind.JsonNode counts = new com.fasterxml.jackson.databind.ObjectMapper().readTree(pipeline.body());
        assertEquals(bad.size(), counts.get("deadLetters").asInt(), pipeline.body());
        assertEquals(bad.size(), counts.get("deadLettersByStage").get("validation").asInt(), pipeline.body());
        assertEquals(0, counts.get("limits").get("max-unconfigured-channels-per-node").get("refused").asInt(), pipeline.body());
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + webPort + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("iiot_dead_letters_total " + bad.size() + ".0"), metrics);
        assertTrue(metrics.contains("iiot_sequence_gaps{node=\"" + NODE + "\",site=\"" + SITE + "\"} 0.0"), metrics);
        assertEquals(Map.of("n", goodCount, "lo", 1, "hi", goodCount), TsdbRows.query(tsdbUrl,
                "SELECT count_distinct(seq) n, min(seq) lo, max(seq) hi FROM reading WHERE node = '" + NODE + "'").get(0));
    }

    private static List<Map<String, Object>> deadLetterRows(String tsdbUrl) {
        try {
            return TsdbRows.query(tsdbUrl, "SELECT reason, stage, timestamp FROM deadletter WHERE node = '" + NODE
                    + "' ORDER BY timestamp");
        } catch (IllegalStateException e) {
            return List.of();
        }
    }
}
