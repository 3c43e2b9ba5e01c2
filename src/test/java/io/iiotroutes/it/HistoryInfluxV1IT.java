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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history API on the InfluxDB 1.x path (iiot.tsdb.api=v1, so InfluxQL with GROUP BY time) against Debian's
 * real influxd: raw readings, stepped aggregates and stored alarm events read back through the REST API.
 */
class HistoryInfluxV1IT {

    private static final String DB = "iiot_history_it";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static InfluxDb1 influx;
    private static IiotApplication app;
    private static int webPort;
    private static long base;

    @BeforeAll
    static void startInfluxAndServer() throws Exception {
        Path dir = Files.createTempDirectory("iiot-history-v1-");
        influx = new InfluxDb1(dir.resolve("influx")).start();
        influx.createDatabase(DB);
        Path nodeFile = dir.resolve("v1-hist.yaml");
        Files.writeString(nodeFile, """
                site: it
                node: v1-hist
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
                        alarms: { h: 5 }
                """);
        TestServer server = TestServer.of(Mode.SERVER, dir.resolve("data")).anonymousPublishers()
                .with("iiot.tsdb.api", "v1")
                .with("iiot.tsdb.url", influx.url())
                .with("iiot.tsdb.database", DB)
                .with("iiot.server.nodes", nodeFile.toString());
        int brokerPort = server.brokerPort();
        webPort = server.webPort();
        app = server.start();

        // 30 readings 1 s apart, value = seq / 5 (crosses H = 5 bar at seq 25), seq 10 BAD without value
        base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5)).toEpochMilli();
        TestReadings.publish(brokerPort, base);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                influx.count(DB, "SELECT count(quality) FROM reading WHERE node = 'v1-hist'") == 30);
    }

    /** Publishes the test's readings (a nested helper keeps the setup readable). */
    private static final class TestReadings {
        static void publish(int brokerPort, long base) throws Exception {
            JsonMessageCodec codec = new JsonMessageCodec();
            MqttClient publisher = new MqttClient("tcp://127.0.0.1:" + brokerPort, "it-v1-hist", new MemoryPersistence());
            publisher.connect();
            for (int seq = 1; seq <= 30; seq++) {
                Reading reading = seq == 10 ? new Reading("ai1", null, "bar", null, Quality.BAD, "wire break")
                        : Reading.good("ai1", seq / 5.0, "bar", null);
                publisher.publish(TopicContract.dataTopic("it", "v1-hist"), codec.encode(
                        NodeMessage.live("it", "v1-hist", seq, base + seq * 1000L, List.of(reading))), 1, false);
            }
            publisher.disconnect();
            publisher.close();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.stop();
        }
        influx.close();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + webPort + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + " -> " + response.body());
        return JSON.readTree(response.body());
    }

    @Test
    void rawReadingsThroughInfluxQl() throws Exception {
        JsonNode raw = get("/api/history/it/v1-hist/ai1?from=" + base + "&to=" + (base + 60_000));
        assertFalse(raw.get("truncated").asBoolean());
        JsonNode points = raw.get("points");
        assertEquals(30, points.size());
        assertEquals(base + 1000, points.get(0).get("ts").asLong());
        assertEquals(0.2, points.get(0).get("value").asDouble(), 1e-9);
        assertEquals(1, points.get(0).get("seq").asLong());
        assertEquals("BAD", points.get(9).get("quality").asText());
        assertTrue(points.get(9).get("value").isNull());
    }

    @Test
    void steppedAggregatesWithGroupByTime() throws Exception {
        JsonNode stepped = get("/api/history/it/v1-hist/ai1?from=" + base + "&to=" + (base + 60_000) + "&step=10s");
        List<String> buckets = new ArrayList<>();
        for (JsonNode p : stepped.get("points")) {
            buckets.add((p.get("ts").asLong() - base) / 1000 + "s:" + p.get("count").asLong() + ":"
                    + p.get("min").asDouble() + ".." + p.get("max").asDouble());
        }
        // seconds 1-9, 10-19 (seq 10 BAD: counted, no value), 20-29, 30
        assertEquals(List.of("0s:9:0.2..1.8", "10s:10:2.2..3.8", "20s:10:4.0..5.8", "30s:1:6.0..6.0"), buckets);
        assertEquals(1.0, stepped.get("points").get(0).get("value").asDouble(), 1e-9, "mean of 0.2..1.8");
    }

    @Test
    void storedAlarmEventsThroughInfluxQl() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() ->
                influx.count(DB, "SELECT count(event) FROM alarm WHERE node = 'v1-hist'") == 1);
        JsonNode events = get("/api/alarms/history").get("events");
        assertEquals(1, events.size(), events.toString());
        assertEquals("RAISED", events.get(0).get("event").asText());
        assertEquals("H", events.get(0).get("level").asText());
        assertEquals("ai1", events.get(0).get("channel").asText());
        assertEquals(5.0, events.get(0).get("limit").asDouble());
        assertEquals(5.0, events.get(0).get("value").asDouble());
    }
}
