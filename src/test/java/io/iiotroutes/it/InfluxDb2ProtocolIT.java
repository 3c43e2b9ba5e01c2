package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server on InfluxDB 2's protocol (the production stack's TSDB), against {@link InfluxDb2Stub}, which answers as
 * InfluxDB 2.7.11's source says it does: the request shapes (token header, org, bucket, precision; InfluxQL history
 * through the v1 compatibility API with the token) and what the server does with each answer that differs from
 * InfluxDB 1.x and QuestDB: a partial write (422) dead-letters only the message whose point was dropped, a refused
 * token (401) or an unknown bucket (404) keeps the messages waiting instead of dead-lettering them.
 */
class InfluxDb2ProtocolIT {

    private static final String TOKEN = "it-server-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonMessageCodec CODEC = new JsonMessageCodec();

    private static InfluxDb2Stub influx;
    private static IiotApplication app;
    private static int brokerPort;
    private static int webPort;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("iiot-influx2-it-");
        influx = new InfluxDb2Stub(TOKEN, "iiot");
        // the bucket already holds 'reason' as an integer (another writer): our string reasons conflict with it
        influx.fieldTypeExists("reading", "reason", "integer");
        TestServer server = TestServer.of(Mode.SERVER, dir.resolve("data")).anonymousPublishers()
                .with("iiot.tsdb.url", influx.url())
                .with("iiot.tsdb.token", TOKEN)
                .with("iiot.tsdb.org", "iiot")
                .with("iiot.tsdb.bucket", "iiot")
                // as in compose: history through InfluxDB 2's v1 compatibility API, database = the bucket
                .with("iiot.tsdb.query", "influxql")
                .with("iiot.tsdb.database", "iiot")
                .with("iiot.server.retry-delay-ms", "200");
        brokerPort = server.brokerPort();
        webPort = server.webPort();
        app = server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.stop();
        }
        if (influx != null) {
            influx.close();
        }
    }

    private static void publish(String node, long firstSeq, int count, long base, Quality qualityOfLast) throws Exception {
        MqttClient publisher = new MqttClient("tcp://127.0.0.1:" + brokerPort, "it-influx2-" + node, new MemoryPersistence());
        publisher.connect();
        for (int i = 0; i < count; i++) {
            long seq = firstSeq + i;
            boolean last = i == count - 1;
            Reading reading = last && qualityOfLast != Quality.GOOD
                    ? new Reading("ai1", 1.0 * seq, "bar", null, qualityOfLast, "clamped")
                    : Reading.good("ai1", 1.0 * seq, "bar", null);
            publisher.publish(TopicContract.dataTopic("it", node), CODEC.encode(
                    NodeMessage.live("it", node, seq, base + seq * 1000L, List.of(reading))), 1, false);
        }
        publisher.disconnect();
        publisher.close();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + webPort + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + " -> " + response.body());
        return JSON.readTree(response.body());
    }

    /** Dead letters of a node as the server wrote them to the TSDB (measurement deadletter). */
    private static List<String> deadLetters(String node) {
        return influx.stored("deadletter").stream().filter(l -> l.contains(",node=" + node + ",")).toList();
    }

    @Test
    void writesAndReadsInInfluxDb2sShape() throws Exception {
        long base = System.currentTimeMillis() - 60_000;
        publish("shape", 1, 5, base, Quality.GOOD);
        await().atMost(Duration.ofSeconds(20)).until(() -> influx.stored("reading").stream().filter(l -> l.contains("node=shape")).count() == 5);

        List<InfluxDb2Stub.Request> writes = influx.requests().stream().filter(r -> r.path().equals("/api/v2/write")).toList();
        assertFalse(writes.isEmpty());
        for (InfluxDb2Stub.Request write : writes) {
            assertEquals("POST", write.method());
            assertEquals("Token " + TOKEN, write.authorization(), "the API token, as InfluxDB 2 expects it");
            assertEquals("iiot", write.query().get("org"));
            assertEquals("iiot", write.query().get("bucket"));
            assertEquals("ms", write.query().get("precision"), "InfluxDB 2 assumes ns without it: times would be 10^6 off");
        }
        assertTrue(influx.stored("reading").contains("reading,channel=ai1,node=shape,site=it,unit=bar "
                + "historical=false,quality=\"GOOD\",seq=3i,value=3.0 " + (base + 3000)), influx.stored("reading").toString());

        // history: InfluxQL through the v1 compatibility API, database = the bucket, the same token
        influx.queryAnswer = """
                {"results":[{"statement_id":0,"series":[{"name":"reading","columns":["time","value","quality","seq"],
                 "values":[[%d,1.0,"GOOD",1],[%d,2.0,"GOOD",2]]}]}]}""".formatted(base + 1000, base + 2000);
        JsonNode history = get("/api/history/it/shape/ai1?from=" + base + "&to=" + (base + 10_000));
        InfluxDb2Stub.Request query = influx.requests().stream().filter(r -> r.path().equals("/query")).reduce((a, b) -> b).orElseThrow();
        assertEquals("GET", query.method());
        assertEquals("Token " + TOKEN, query.authorization());
        assertEquals("iiot", query.query().get("db"));
        assertEquals("ms", query.query().get("epoch"));
        assertTrue(query.query().get("q").startsWith("SELECT value, quality, seq FROM reading WHERE site = 'it' AND node = 'shape'"),
                query.query().get("q"));
        assertEquals(2, history.path("points").size(), history.toString());
    }

    @Test
    void aPartialWriteDeadLettersOnlyTheMessageWhosePointWasDropped() throws Exception {
        long base = System.currentTimeMillis() - 120_000;
        // seq 1..5 GOOD, seq 6 UNCERTAIN with a reason: InfluxDB drops that point (field type conflict), stores the rest
        publish("partial", 1, 6, base, Quality.UNCERTAIN);
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters("partial").size() == 1);
        String letter = deadLetters("partial").get(0);
        assertTrue(letter.startsWith("deadletter,node=partial,site=it,stage=tsdb "), letter);
        assertTrue(letter.contains("partial write: field type conflict"), letter);
        assertTrue(letter.contains("topic=\"iiot/v1/it/partial/data\""), letter);
        List<String> stored = influx.stored("reading").stream().filter(l -> l.contains("node=partial")).toList();
        assertEquals(5, stored.size(), "every other message stored: " + stored);
        assertTrue(stored.stream().noneMatch(l -> l.contains("seq=6i")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode node = nodes("partial");
            assertEquals(5, node.path("storedHere").asLong(), node.toString());
            assertEquals(0, node.path("completeness").path("gaps").asLong(), node.toString());
        });
    }

    @Test
    void aRefusedTokenKeepsTheMessagesWaitingUntilItIsAcceptedAgain() throws Exception {
        long base = System.currentTimeMillis() - 180_000;
        influx.acceptToken = false;
        try {
            publish("token", 1, 4, base, Quality.GOOD);
            // 401 is not the data's fault: retried, never dead-lettered, health tells
            await().atMost(Duration.ofSeconds(20)).until(() -> influx.requests().stream()
                    .filter(r -> r.path().equals("/api/v2/write") && r.body().contains("node=token")).count() >= 3);
            assertEquals(0, influx.stored("reading").stream().filter(l -> l.contains("node=token")).count());
            assertEquals(List.of(), deadLetters("token"));
        } finally {
            influx.acceptToken = true;
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> influx.stored("reading").stream().filter(l -> l.contains("node=token")).count() == 4);
        assertEquals(List.of(), deadLetters("token"));
    }

    private static JsonNode nodes(String node) throws Exception {
        for (JsonNode n : get("/api/nodes")) {
            if (node.equals(n.path("node").asText())) {
                return n;
            }
        }
        throw new AssertionError("node " + node + " not listed");
    }
}
