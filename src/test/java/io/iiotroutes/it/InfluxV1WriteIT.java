package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.tsdb.TsdbRefusedException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The InfluxDB 1.x write path ({@code iiot.tsdb.api=v1}, camel-influxdb) against a real InfluxDB 1.6.7: the same
 * series as the v2 path, a refused write fails the exchange (and dead-letters the message), nothing is lost at stop.
 */
class InfluxV1WriteIT {

    private static final String DB = "iiot_it";
    private static InfluxDb1 influx;
    private final JsonMessageCodec codec = new JsonMessageCodec();

    @TempDir
    Path dataDir;
    private IiotApplication app;
    private int brokerPort;

    @BeforeAll
    static void startInflux() throws Exception {
        influx = new InfluxDb1(Files.createTempDirectory("iiot-influx1-")).start();
        influx.createDatabase(DB);
    }

    @AfterAll
    static void stopInflux() {
        influx.close();
    }

    private IiotApplication startServer(String tsdbUrl) throws Exception {
        return startServer(tsdbUrl, DB);
    }

    private IiotApplication startServer(String tsdbUrl, String database) throws Exception {
        brokerPort = TestPorts.free();
        Map<String, String> settings = new HashMap<>(Map.of(
                "iiot.data.dir", dataDir.toString(),
                // the test's publishers stand in for nodes without accounts (MqttSecurityIT covers authentication)
                "iiot.broker.allow-anonymous", "true",
                "iiot.broker.port", Integer.toString(brokerPort),
                "iiot.broker.persistent", "false",
                "iiot.web.port", Integer.toString(TestPorts.free()),
                "iiot.tsdb.api", "v1",
                "iiot.tsdb.url", tsdbUrl,
                "iiot.tsdb.database", database,
                "iiot.server.retry-delay-ms", "100"));
        app = new IiotApplication(Mode.SERVER, settings);
        app.start();
        return app;
    }

    @AfterEach
    void stopServer() throws Exception {
        if (app != null) {
            app.stop();
        }
    }

    private void publish(String site, String node, NodeMessage... messages) throws Exception {
        MqttClient publisher = new MqttClient("tcp://127.0.0.1:" + brokerPort, "it-" + node, new MemoryPersistence());
        publisher.connect();
        for (NodeMessage message : messages) {
            publisher.publish(TopicContract.dataTopic(site, node), codec.encode(message), 1, false);
        }
        publisher.disconnect();
        publisher.close();
    }

    @Test
    void storesExactlyThePublishedReadingsWithTheirTypes() throws Exception {
        startServer(influx.url());
        long base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60).toEpochMilli();
        List<NodeMessage> published = new ArrayList<>();
        for (int seq = 1; seq <= 10; seq++) {
            Reading rtd = seq == 5
                    ? new Reading("rtd1", null, "degC", null, Quality.BAD, "wire break")
                    : new Reading("rtd1", 20 + seq / 10.0, "degC", 1000L + seq, Quality.GOOD, null);
            published.add(NodeMessage.live("it", "v1-press", seq, base + seq * 1000L + 123, List.of(
                    new Reading("ai1", seq * 1.5, "bar", 16000L + seq, seq == 3 ? Quality.UNCERTAIN : Quality.GOOD,
                            seq == 3 ? "clamped" : null), rtd)));
        }
        publish("it", "v1-press", published.toArray(NodeMessage[]::new));

        await().atMost(Duration.ofSeconds(30)).until(() ->
                influx.count(DB, "SELECT count(quality) FROM reading WHERE node = 'v1-press'") == 20);
        List<Map<String, Object>> rows = influx.rows(DB, "SELECT site, node, channel, unit, value, raw, quality, reason, "
                + "seq, historical FROM reading WHERE node = 'v1-press' ORDER BY time");
        // InfluxDB's JSON writes 3.0 as 3: compare values as numbers (the field types are checked below)
        rows.forEach(row -> row.computeIfPresent("value", (k, v) -> ((Number) v).doubleValue()));
        // InfluxDB orders by time, then by series (channel ai1 before rtd1), as ReadingRows builds them
        assertEquals(ReadingRows.expected(published, "time", NodeMessage::timestamp), rows);

        Map<String, String> types = new HashMap<>();
        for (Map<String, Object> row : influx.rows(DB, "SHOW FIELD KEYS FROM reading")) {
            types.put((String) row.get("fieldKey"), (String) row.get("fieldType"));
        }
        assertEquals(Map.of("value", "float", "raw", "integer", "quality", "string", "reason", "string",
                "seq", "integer", "historical", "boolean"), types);
    }

    @Test
    void everyCompletedWriteIsStoredWhenTheServerStops() throws Exception {
        startServer(influx.url());
        ProducerTemplate producer = app.context().createProducerTemplate();
        long base = System.currentTimeMillis() - 10_000;
        int count = 40;
        for (int seq = 1; seq <= count; seq++) {
            NodeMessage message = NodeMessage.live("it", "v1-stop", seq, base + seq,
                    List.of(Reading.good("ai1", seq, "bar", (long) seq)));
            Exchange result = producer.send("direct:server-ingest-store", e -> e.setProperty("iiotMessage", message));
            assertFalse(result.isFailed(), () -> "write failed: " + result.getException());
        }
        app.stop();
        app = null;
        // no waiting: what a completed exchange wrote is already in InfluxDB, nothing was left in a buffer
        assertEquals(count, influx.count(DB, "SELECT count(value) FROM reading WHERE node = 'v1-stop'"));
    }

    @Test
    void aWriteInfluxDbRefusesFailsTheExchangeAndTheMessageIsDeadLettered() throws Exception {
        // a database of its own, where field 'value' of 'reading' already holds strings: a float is a field type
        // conflict (HTTP 400, partial write)
        String db = "iiot_conflict";
        influx.createDatabase(db);
        startServer(influx.url(), db);
        long ts = System.currentTimeMillis() - 5_000;
        assertEquals(204, influx.write(db, "reading,channel=ai1,node=v1-conflict,site=it,unit=bar value=\"text\" " + (ts - 1000)));
        NodeMessage conflicting = NodeMessage.live("it", "v1-conflict", 1, ts, List.of(Reading.good("ai1", 1.0, "bar", null)));

        Exchange result = app.context().createProducerTemplate()
                .send("direct:server-ingest-store", e -> e.setProperty("iiotMessage", conflicting));
        assertNotNull(result.getException(), "a refused write must fail the exchange");
        assertTrue(causes(result.getException()).stream().anyMatch(TsdbRefusedException.class::isInstance),
                () -> "expected a TsdbRefusedException, got " + result.getException());

        // over MQTT: the refused message becomes a dead letter, the next message is stored as usual
        // (without a value: in this database any float 'value' conflicts)
        NodeMessage next = NodeMessage.live("it", "v1-conflict", 2, ts + 1,
                List.of(new Reading("ai2", null, "bar", null, Quality.BAD, "wire break")));
        publish("it", "v1-conflict", conflicting, next);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                influx.count(db, "SELECT count(quality) FROM reading WHERE node = 'v1-conflict' AND channel = 'ai2'") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                influx.count(db, "SELECT count(size) FROM deadletter WHERE node = 'v1-conflict' AND stage = 'tsdb'") == 1);
        JsonNode reason = influx.query(db, "SELECT reason FROM deadletter WHERE node = 'v1-conflict'")
                .path("series").path(0).path("values").path(0).path(1);
        assertTrue(reason.asText().contains("field type conflict"), () -> "dead letter reason: " + reason);
    }

    @Test
    void aWriteToAnUnreachableInfluxDbFailsTheExchangeAsTransient() throws Exception {
        // the server refuses to start on a TSDB that does not answer: its own InfluxDB goes away once it runs
        InfluxDb1 leaving = new InfluxDb1(Files.createTempDirectory("iiot-influx1-leaving-")).start();
        try {
            leaving.createDatabase(DB);
            startServer(leaving.url());
        } finally {
            leaving.close();
        }
        NodeMessage message = NodeMessage.live("it", "v1-down", 1, System.currentTimeMillis(),
                List.of(Reading.good("ai1", 1.0, "bar", null)));
        Exchange result = app.context().createProducerTemplate()
                .send("direct:server-ingest-store", e -> e.setProperty("iiotMessage", message));
        assertNotNull(result.getException(), "a write to an unreachable InfluxDB must fail the exchange");
        List<Throwable> causes = causes(result.getException());
        assertTrue(causes.stream().noneMatch(TsdbRefusedException.class::isInstance), "unreachable is not a refusal");
        assertTrue(causes.stream().anyMatch(java.net.ConnectException.class::isInstance),
                () -> "expected a refused connection, got " + causes);
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
