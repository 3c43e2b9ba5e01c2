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
import org.eclipse.paho.mqttv5.common.MqttSubscription;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every REST endpoint of the dashboard against the real server (embedded HiveMQ and QuestDB): nodes, channels with
 * configuration and latest values, history raw and aggregated, alarms raised from the configured limits, published
 * on MQTT, stored, pushed live, acknowledged; and the 4xx answers to bad input. One server for the class.
 */
class DashboardApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int MESSAGES = 40;
    private static final int MAX_POINTS = 30;

    private static Path dataDir;
    private static IiotApplication app;
    private static int webPort;
    private static long base;
    private static final List<JsonNode> alarmMessages = new CopyOnWriteArrayList<>();
    private static MqttClient alarmSubscriber;
    private static LiveClient live;

    @BeforeAll
    static void startServerAndPublish() throws Exception {
        dataDir = Files.createTempDirectory("iiot-api-it-");
        Path nodeFile = dataDir.resolve("api-1.yaml");
        Files.writeString(nodeFile, """
                site: it
                node: api-1
                driver: { type: simulated }
                groups:
                  - name: fast
                    periodMs: 1000
                    channels:
                      - id: ai1
                        signal: 4-20mA
                        range: [0, 10]
                        unit: bar
                        simulation: { shape: sine, min: 4, max: 20 }
                        alarms: { hh: 10.5, h: 8, l: 0.1, hysteresis: 0.5 }
                      - id: ai2
                        signal: 0-10V
                        range: [0, 100]
                        unit: "%"
                        simulation: { shape: sine, min: 0, max: 10 }
                """);
        TestServer server = TestServer.of(Mode.SERVER, dataDir.resolve("data")).anonymousPublishers()
                .with("iiot.server.nodes", nodeFile.toString())
                .with("iiot.api.max-points", Integer.toString(MAX_POINTS));
        int brokerPort = server.brokerPort();
        webPort = server.webPort();
        app = server.start();

        alarmSubscriber = new MqttClient("tcp://127.0.0.1:" + brokerPort, "it-alarm-subscriber", new MemoryPersistence());
        alarmSubscriber.connect();
        alarmSubscriber.subscribe(new MqttSubscription[]{new MqttSubscription(TopicContract.alarmTopic("it", "api-1"), 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[]{(topic, message) ->
                        alarmMessages.add(JSON.readTree(message.getPayload()))});
        live = new LiveClient("127.0.0.1", webPort);

        // ai1 climbs 0.25 bar per message: crosses H (8 bar) at seq 32; ai2 stays put
        base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120).toEpochMilli();
        JsonMessageCodec codec = new JsonMessageCodec();
        MqttClient publisher = new MqttClient("tcp://127.0.0.1:" + brokerPort, "it-api-1", new MemoryPersistence());
        publisher.connect();
        for (int seq = 1; seq <= MESSAGES; seq++) {
            NodeMessage message = NodeMessage.live("it", "api-1", seq, base + seq * 1000L, List.of(
                    Reading.good("ai1", seq * 0.25, "bar", null),
                    seq == 20 ? new Reading("ai2", null, "%", null, Quality.BAD, "wire break")
                            : Reading.good("ai2", 50.0, "%", null)));
            publisher.publish(TopicContract.dataTopic("it", "api-1"), codec.encode(message), 1, false);
        }
        publisher.disconnect();
        publisher.close();
        String tsdbUrl = app.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
        await().atMost(Duration.ofSeconds(30)).until(() -> TsdbRows.count(tsdbUrl, "node = 'api-1'") == MESSAGES * 2);
    }

    @AfterAll
    static void stopServer() throws Exception {
        live.close();
        alarmSubscriber.disconnect();
        alarmSubscriber.close();
        app.stop();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(200, response.statusCode(), path + " -> " + response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""), path);
        return JSON.readTree(response.body());
    }

    private static void assertError(int status, HttpResponse<String> response, String expectedText) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertTrue(body.path("error").asText().contains(expectedText), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void nodesAndChannelsWithConfigurationLatestValuesAndAlarmState() throws Exception {
        JsonNode nodes = ok("/api/nodes");
        assertEquals(1, nodes.size(), nodes.toString());
        JsonNode node = nodes.get(0);
        assertEquals("api-1", node.get("node").asText());
        assertTrue(node.get("configured").asBoolean());
        assertEquals(MESSAGES, node.get("completeness").get("received").asLong());
        assertEquals(100.0, node.get("completenessPercent").asDouble());
        assertEquals(2, node.get("channels").asInt());
        assertEquals(1, node.get("activeAlarms").asInt());
        assertTrue(node.get("lastSeen").asLong() > 0);
        assertEquals(base + MESSAGES * 1000L, node.get("lastSourceTimestamp").asLong());

        JsonNode detail = ok("/api/nodes/it/api-1");
        assertEquals(2, detail.get("channelList").size());

        JsonNode channels = ok("/api/channels");
        assertEquals(channels, ok("/api/nodes/it/api-1/channels"));
        JsonNode ai1 = channels.get(0);
        assertEquals("ai1", ai1.get("channel").asText());
        assertEquals("bar", ai1.get("unit").asText());
        assertEquals("[0.0,10.0]", ai1.get("range").toString());
        assertEquals(1000, ai1.get("periodMs").asLong());
        assertEquals(8.0, ai1.get("alarms").get("h").asDouble());
        assertEquals(0.5, ai1.get("alarms").get("hysteresis").asDouble());
        assertEquals(MESSAGES * 0.25, ai1.get("latest").get("value").asDouble());
        assertEquals("GOOD", ai1.get("latest").get("quality").asText());
        assertEquals(MESSAGES, ai1.get("latest").get("seq").asLong());
        assertEquals("H", ai1.get("alarm").get("level").asText());
        JsonNode ai2 = channels.get(1);
        assertTrue(ai2.get("alarms").isNull());
        assertTrue(ai2.get("alarm").isNull());
        assertEquals("%", ai2.get("unit").asText());
    }

    @Test
    void historyRawAndAggregatedFromTheTsdb() throws Exception {
        String window = "from=" + base + "&to=" + (base + 41_000);
        JsonNode raw = ok("/api/history/it/api-1/ai1?from=" + (base + 11_000) + "&to=" + (base + 41_000));
        assertEquals("bar", raw.get("unit").asText());
        assertTrue(raw.get("step").isNull());
        assertFalse(raw.get("truncated").asBoolean());
        assertEquals(30, raw.get("points").size());
        JsonNode first = raw.get("points").get(0);
        assertEquals(base + 11_000, first.get("ts").asLong());
        assertEquals(11 * 0.25, first.get("value").asDouble());
        assertEquals(11, first.get("seq").asLong());
        assertEquals("GOOD", first.get("quality").asText());

        JsonNode cut = ok("/api/history/it/api-1/ai1?" + window);
        assertTrue(cut.get("truncated").asBoolean(), "40 readings, cap 30");
        assertEquals(MAX_POINTS, cut.get("points").size());

        JsonNode stepped = ok("/api/history/it/api-1/ai1?" + window + "&step=10s");
        assertEquals(10_000, stepped.get("step").asLong());
        long total = 0;
        for (JsonNode p : stepped.get("points")) {
            total += p.get("count").asLong();
            assertTrue(p.get("min").asDouble() <= p.get("value").asDouble() && p.get("value").asDouble() <= p.get("max").asDouble(), p.toString());
            assertEquals(0, p.get("ts").asLong() % 10_000, "buckets aligned to the step");
        }
        assertEquals(MESSAGES, total);

        JsonNode withBad = ok("/api/history/it/api-1/ai2?" + window + "&step=1m");
        long count = 0;
        for (JsonNode p : withBad.get("points")) {
            count += p.get("count").asLong();
        }
        assertEquals(MESSAGES, count, "BAD readings count as readings");

        JsonNode iso = ok("/api/history/it/api-1/ai1?from=" + Instant.ofEpochMilli(base + 35_000) + "&to="
                + Instant.ofEpochMilli(base + 38_000));
        assertEquals(3, iso.get("points").size(), "ISO-8601 times, 'to' excluded");
        JsonNode empty = ok("/api/history/it/api-1/ai1?from=1000&to=2000");
        assertEquals(0, empty.get("points").size());
    }

    @Test
    void alarmRaisedFromTheLimitsGoesToMqttTsdbAndWebSocketAndIsAcknowledged() throws Exception {
        JsonNode alarms = ok("/api/alarms");
        assertEquals(1, alarms.get("active").size(), alarms.toString());
        JsonNode active = alarms.get("active").get(0);
        assertEquals("H", active.get("level").asText());
        assertEquals("ai1", active.get("channel").asText());
        assertEquals(8.0, active.get("value").asDouble(), "raised by the reading that reached the limit");
        assertFalse(active.get("acknowledged").asBoolean());
        long id = active.get("id").asLong();

        await().atMost(Duration.ofSeconds(10)).until(() -> alarmMessages.size() >= 1);
        assertEquals("RAISED", alarmMessages.get(0).get("event").asText());
        assertEquals(id, alarmMessages.get(0).get("id").asLong());
        await().atMost(Duration.ofSeconds(10)).until(() -> live.frames().stream().anyMatch(f ->
                "alarm".equals(f.path("type").asText()) && f.get("id").asLong() == id));

        HttpResponse<String> ack = post("/api/alarms/" + id + "/ack");
        assertEquals(200, ack.statusCode(), ack.body());
        assertEquals("ACKNOWLEDGED", JSON.readTree(ack.body()).get("event").asText());
        assertTrue(ok("/api/alarms").get("active").get(0).get("acknowledged").asBoolean());
        assertError(409, post("/api/alarms/" + id + "/ack"), "already acknowledged");
        await().atMost(Duration.ofSeconds(10)).until(() -> alarmMessages.stream()
                .anyMatch(m -> "ACKNOWLEDGED".equals(m.get("event").asText()) && m.get("id").asLong() == id));

        String tsdbUrl = app.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                TsdbRows.query(tsdbUrl, "SELECT event FROM alarm WHERE node = 'api-1'").size() == 2);
        JsonNode history = ok("/api/alarms/history");
        List<String> events = new ArrayList<>();
        history.get("events").forEach(e -> events.add(e.get("event").asText() + " " + e.get("level").asText()));
        assertEquals(List.of("RAISED H", "ACKNOWLEDGED H"), events);
    }

    @Test
    void badInputGetsAClearClientError() throws Exception {
        assertError(404, get("/api/nodes/it/nope"), "unknown node it/nope");
        assertError(404, get("/api/nodes/it/nope/channels"), "unknown node");
        assertError(400, get("/api/nodes/it/bad$id"), "node must match");
        assertError(404, get("/api/history/it/nope/ai1"), "unknown node");
        assertError(404, get("/api/history/it/api-1/ai9"), "unknown channel 'ai9'");
        assertError(400, get("/api/history/it/api-1/ai%27x"), "channel must match");
        assertError(400, get("/api/history/it/api-1/ai1?from=yesterday"), "'from' must be epoch milliseconds or an ISO-8601");
        assertError(400, get("/api/history/it/api-1/ai1?to=2024-13-01T00:00:00Z"), "'to' must be");
        assertError(400, get("/api/history/it/api-1/ai1?from=2000&to=1000"), "must be before");
        assertError(400, get("/api/history/it/api-1/ai1?from=1000&to=1000"), "must be before");
        assertError(400, get("/api/history/it/api-1/ai1?step=fast"), "'step' must be raw or a number");
        assertError(400, get("/api/history/it/api-1/ai1?step=-5s"), "'step'");
        assertError(400, get("/api/history/it/api-1/ai1?step=0s"), "at least 1ms");
        assertError(400, get("/api/history/it/api-1/ai1?step=1s"), "too many points: 3600 steps");
        assertError(400, get("/api/alarms/history?from=abc"), "'from'");
        assertError(400, post("/api/alarms/abc/ack"), "alarm id must be a number");
        assertError(404, post("/api/alarms/42/ack"), "no active alarm 42");
        assertError(404, get("/api/no-such-thing"), "no such API resource");
        HttpResponse<String> wrongMethod = post("/api/nodes");
        assertTrue(wrongMethod.statusCode() == 405 || wrongMethod.statusCode() == 404, wrongMethod.statusCode() + " " + wrongMethod.body());
        assertTrue(get("/api/alarms/1/ack").statusCode() / 100 == 4, "acknowledge is a POST");
    }

    @Test
    void theApiIsDescribedByAnOpenApiDocumentThatTheReferenceModelReads() throws Exception {
        HttpResponse<String> response = get("/api/openapi.json");
        assertEquals(200, response.statusCode(), response.body());

        // read by swagger-core, the OpenAPI reference implementation, not by our own code
        io.swagger.v3.oas.models.OpenAPI api = io.swagger.v3.core.util.Json.mapper()
                .readValue(response.body(), io.swagger.v3.oas.models.OpenAPI.class);
        assertTrue(api.getOpenapi().startsWith("3."), api.getOpenapi());
        assertEquals("IIoT Routes REST API", api.getInfo().getTitle());
        for (String path : List.of("/api/nodes", "/api/nodes/{site}/{node}", "/api/nodes/{site}/{node}/channels",
                "/api/channels", "/api/history/{site}/{node}/{channel}", "/api/alarms", "/api/alarms/history",
                "/api/pipeline")) {
            assertTrue(api.getPaths().containsKey(path) && api.getPaths().get(path).getGet() != null, path + " in " + api.getPaths().keySet());
        }
        assertTrue(api.getPaths().get("/api/alarms/{id}/ack").getPost() != null, "acknowledge is a POST");
        assertTrue(api.getPaths().get("/api/history/{site}/{node}/{channel}").getGet().getParameters().stream()
                .anyMatch(p -> p.getName().equals("step") && p.getIn().equals("query")), "query parameters are documented");
    }
}
