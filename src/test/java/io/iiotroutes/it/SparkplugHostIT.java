package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.sparkplug.SparkplugPayloads;
import org.apache.camel.component.tahu.handlers.AtomicBdSeqManager;
import org.apache.camel.component.tahu.handlers.TahuEdgeClient;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.EdgeNodeDescriptor;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertyDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.message.model.SparkplugBPayloadMap;
import org.eclipse.tahu.message.model.SparkplugMeta;
import org.eclipse.tahu.model.MqttServerDefinition;
import org.eclipse.tahu.mqtt.MqttClientId;
import org.eclipse.tahu.mqtt.MqttServerName;
import org.eclipse.tahu.mqtt.MqttServerUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.iiotroutes.sparkplug.SparkplugPayloads.payload;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server as a Sparkplug B host application against an implementation we did not write: Eclipse Tahu's own edge
 * node (its EdgeClient, as camel-tahu wraps it) waits for our STATE, is born, publishes DATA with aliases, answers our
 * rebirth request and dies; and payloads made by Tahu's encoder, published over MQTT to the real embedded broker,
 * drive the protocol's corners (DATA before a birth, an unknown alias, a seq gap, an older will). Asserted: the exact
 * rows stored, the dead letters with their reasons, the NCMD rebirth requests on the broker, node status in the API.
 */
class SparkplugHostIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter QUESTDB_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static Path dataDir;
    private static TestServer server;
    private static IiotApplication app;
    private static MqttClient observer;
    /** Everything published under spBv1.0/#, as the broker delivers it: topic and payload. */
    private static final List<Map.Entry<String, byte[]>> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("iiot-sparkplug-it-");
        server = TestServer.of(Mode.SERVER, dataDir).anonymousPublishers()
                .with("iiot.sparkplug.enabled", "true")
                .with("iiot.sparkplug.rebirth-interval-ms", "0");
        app = server.start();
        observer = new MqttClient(brokerUrl(), "it-sparkplug-observer", new MemoryPersistence());
        observer.connect();
        IMqttMessageListener record = (topic, message) -> seen.add(Map.entry(topic, message.getPayload()));
        observer.subscribe(new MqttSubscription[]{new MqttSubscription("spBv1.0/#", 1)}, new IMqttMessageListener[]{record});
    }

    @AfterAll
    static void stop() throws Exception {
        if (observer != null) {
            observer.disconnect();
            observer.close();
        }
        if (app != null) {
            app.stop();
        }
    }

    private static String brokerUrl() {
        return "tcp://127.0.0.1:" + server.brokerPort();
    }

    @Test
    void tahusEdgeNodeIsBornSendsDataAnswersARebirthRequestAndDies() throws Exception {
        // our STATE birth is retained: Tahu's edge node waits for it before its NBIRTH (primary host id)
        await().atMost(Duration.ofSeconds(20)).until(() -> state("iiot-routes") != null);
        JsonNode state = state("iiot-routes");
        assertTrue(state.get("online").asBoolean(), state.toString());

        EdgeNodeDescriptor edge = new EdgeNodeDescriptor("it", "tahu-gw");
        ExecutorService executor = Executors.newSingleThreadExecutor();
        TahuEdgeClient client = new TahuEdgeClient.ClientBuilder().edgeNodeDescriptor(edge).deviceIds(List.of())
                .primaryHostId("iiot-routes").useAliases(true).rebirthDebounceDelay(100L)
                .serverDefinitions(List.of(new MqttServerDefinition(new MqttServerName("it"),
                        new MqttClientId("it-tahu-gw", false), new MqttServerUrl(brokerUrl()), null, null, 30, null)))
                .bdSeqManager(new AtomicBdSeqManager()).clientExecutorService(executor).build();
        long born = System.currentTimeMillis() - 5_000;
        client.addDeviceMetricDataPayloadMap(edge, new SparkplugBPayloadMap.SparkplugBPayloadMapBuilder()
                .addMetric(new Metric.MetricBuilder("Tank/Level", MetricDataType.Double, 42.5).timestamp(new Date(born))
                        .properties(SparkplugPayloads.properties("engUnit", PropertyDataType.String, "%")).createMetric())
                .addMetric(new Metric.MetricBuilder("Pump/Running", MetricDataType.Boolean, true).timestamp(new Date(born))
                        .createMetric())
                .createPayload());
        try {
            client.startup();
            String tsdb = tsdbUrl();
            await().atMost(Duration.ofSeconds(30)).until(() -> TsdbRows.count(tsdb, "node = 'tahu-gw'") == 2);
            assertEquals(List.of(row(born, "tahu-gw", "Pump.Running", 1.0, null, "GOOD", null, false),
                    row(born, "tahu-gw", "Tank.Level", 42.5, "%", "GOOD", null, false)), rows("node = 'tahu-gw'"));
            assertEquals("online", node("tahu-gw").get("status").asText());

            // NDATA through Tahu (aliases, datatypes left out)
            long t1 = born + 1_001;
            client.publishData(edge, new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date(t1))
                    .addMetric(new Metric.MetricBuilder("Tank/Level", MetricDataType.Double, 43.25).timestamp(new Date(t1))
                            .createMetric()).createPayload());
            await().atMost(Duration.ofSeconds(20)).until(() -> TsdbRows.count(tsdb, "node = 'tahu-gw'") == 3);
            assertEquals(row(t1, "tahu-gw", "Tank.Level", 43.25, "%", "GOOD", null, false),
                    rows("node = 'tahu-gw' AND timestamp = '" + QUESTDB_TIME.format(Instant.ofEpochMilli(t1)) + "'").get(0));
            assertTrue(seen.stream().anyMatch(e -> e.getKey().equals("spBv1.0/it/NDATA/tahu-gw") && byAliasOnly(e.getValue())),
                    "Tahu sent the NDATA by alias, without name and datatype");

            // a message out of sequence (as if one were lost): our host asks for a rebirth, Tahu's node answers
            int births = count("spBv1.0/it/NBIRTH/tahu-gw");
            observer.publish("spBv1.0/it/NDATA/tahu-gw", payload().seq(200).bytes(), 0, false);
            await().atMost(Duration.ofSeconds(20)).until(() -> isRebirthRequest("spBv1.0/it/NCMD/tahu-gw"));
            await().atMost(Duration.ofSeconds(20)).until(() -> count("spBv1.0/it/NBIRTH/tahu-gw") > births);
            // in step again: its next DATA is stored
            long t2 = born + 2_002;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                client.publishData(edge, new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date(t2))
                        .addMetric(new Metric.MetricBuilder("Tank/Level", MetricDataType.Double, 44.5)
                                .timestamp(new Date(t2)).createMetric()).createPayload());
                assertEquals(1, TsdbRows.count(tsdb, "node = 'tahu-gw' AND value = 44.5"));
            });
            assertTrue(deadLetters("tahu-gw").stream().anyMatch(r -> r.contains("seq 200 where")), deadLetters("tahu-gw").toString());
        } finally {
            // a clean shutdown publishes the NDEATH of the current bdSeq
            client.shutdown();
            executor.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "offline".equals(node("tahu-gw").get("status").asText()));
    }

    @Test
    void protocolCornersWithPayloadsFromTahusEncoder() throws Exception {
        MqttClient gw = new MqttClient(brokerUrl(), "it-raw-gw", new MemoryPersistence());
        gw.connect();
        try {
            String tsdb = tsdbUrl();
            long t = (System.currentTimeMillis() / 1000) * 1000 - 60_000 + 123;
            // 1. DATA before any birth: refused (dead letter) and a rebirth requested
            gw.publish("spBv1.0/it/NDATA/raw-gw", payload().seq(5).alias(1, MetricDataType.Float, 1f, t).bytes(true), 0, false);
            await().atMost(Duration.ofSeconds(20)).until(() -> isRebirthRequest("spBv1.0/it/NCMD/raw-gw"));
            await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters("raw-gw").size() == 1);
            assertEquals(List.of("NDATA of it/raw-gw before its edge node's NBIRTH (no birth certificate): rebirth requested"),
                    deadLetters("raw-gw"));

            // 2. birth: metrics with aliases, datatypes, units
            gw.publish("spBv1.0/it/NBIRTH/raw-gw", payload().seq(0).at(t).bdSeq(3).rebirthMetric()
                    .birth("Inputs/Pressure", 1, MetricDataType.Float, 4.5f, "bar")
                    .birth("Inputs/Level", 2, MetricDataType.Int32, 37, "%")
                    .birth("Valve open", 3, MetricDataType.Boolean, false, null)
                    .birth("Properties/Serial", 4, MetricDataType.String, "SN-1", null).bytes(), 0, false);
            // 3. DATA by alias: two timestamps, a STALE quality, a historical value
            gw.publish("spBv1.0/it/NDATA/raw-gw", payload().seq(1).at(t + 2000)
                    .alias(1, MetricDataType.Float, 5.25f, t + 1000)
                    .metric(new Metric.MetricBuilder(2L, MetricDataType.Int32, 40).timestamp(new Date(t + 1000))
                            .properties(SparkplugPayloads.properties(SparkplugMeta.QUALITY_PROP_NAME, PropertyDataType.Int32, 500)))
                    .metric(new Metric.MetricBuilder(1L, MetricDataType.Float, 3.0f).timestamp(new Date(t - 5000)).isHistorical(true))
                    .bytes(true), 0, false);
            // 4. a device: node raw-gw.press-3
            gw.publish("spBv1.0/it/DBIRTH/raw-gw/press-3", payload().seq(2).at(t + 10)
                    .birth("Temp", 1, MetricDataType.Double, 21.5, "degC").bytes(), 0, false);
            // 5. an alias the birth did not declare
            gw.publish("spBv1.0/it/NDATA/raw-gw", payload().seq(3).alias(99, MetricDataType.Float, 2f, t + 3000).bytes(true), 0, false);
            // 6. a gap: seq 4 to 6 lost
            gw.publish("spBv1.0/it/NDATA/raw-gw", payload().seq(7).alias(1, MetricDataType.Float, 6f, t + 4000).bytes(true), 0, false);
            await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters("raw-gw").size() == 3);
            List<String> reasons = deadLetters("raw-gw");
            assertEquals("NDATA of it/raw-gw: alias 99 not in its birth certificate; rebirth requested", reasons.get(1));
            assertEquals("NDATA of it/raw-gw: seq 7 where 4 was due (3 message(s) lost or out of order); rebirth requested",
                    reasons.get(2));
            await().atMost(Duration.ofSeconds(20)).until(() -> count("spBv1.0/it/NCMD/raw-gw") == 3);
            // 7. the rebirth, answered by hand (NBIRTH, then the DBIRTH the device needs again): in step again
            gw.publish("spBv1.0/it/NBIRTH/raw-gw", payload().seq(0).at(t + 5000).bdSeq(3).rebirthMetric()
                    .birth("Inputs/Pressure", 1, MetricDataType.Float, 7.5f, "bar").bytes(), 0, false);
            gw.publish("spBv1.0/it/DBIRTH/raw-gw/press-3", payload().seq(1).at(t + 5010)
                    .birth("Temp", 1, MetricDataType.Double, 22.0, "degC").bytes(), 0, false);
            gw.publish("spBv1.0/it/NDATA/raw-gw", payload().seq(2).alias(1, MetricDataType.Float, 8f, t + 6000).bytes(true), 0, false);

            await().atMost(Duration.ofSeconds(30)).until(() -> TsdbRows.count(tsdb, "node LIKE 'raw-gw%'") == 10);
            assertEquals(List.of(
                    row(t - 5000, "raw-gw", "Inputs.Pressure", 3.0, "bar", "GOOD", null, true, 3),
                    row(t, "raw-gw", "Inputs.Level", 37.0, "%", "GOOD", null, false, 1),
                    row(t, "raw-gw", "Inputs.Pressure", 4.5, "bar", "GOOD", null, false, 1),
                    row(t, "raw-gw", "Valve_open", 0.0, null, "GOOD", null, false, 1),
                    row(t + 10, "raw-gw.press-3", "Temp", 21.5, "degC", "GOOD", null, false, 0),
                    row(t + 1000, "raw-gw", "Inputs.Level", 40.0, "%", "UNCERTAIN", "Sparkplug quality STALE (500)", false, 2),
                    row(t + 1000, "raw-gw", "Inputs.Pressure", 5.25, "bar", "GOOD", null, false, 2),
                    row(t + 5000, "raw-gw", "Inputs.Pressure", 7.5, "bar", "GOOD", null, false, 9),
                    row(t + 5010, "raw-gw.press-3", "Temp", 22.0, "degC", "GOOD", null, false, 1),
                    row(t + 6000, "raw-gw", "Inputs.Pressure", 8.0, "bar", "GOOD", null, false, 10)),
                    rowsWithSeq("node LIKE 'raw-gw%'"));
            assertEquals("online", node("raw-gw").get("status").asText());
            assertEquals("online", node("raw-gw.press-3").get("status").asText());

            // 8. the will of an older connection changes nothing; the current one takes node and device offline
            gw.publish("spBv1.0/it/NDEATH/raw-gw", payload().bdSeq(2).bytes(), 1, false);
            gw.publish("spBv1.0/it/NDEATH/raw-gw", payload().bdSeq(3).bytes(), 1, false);
            await().atMost(Duration.ofSeconds(20)).until(() -> "offline".equals(node("raw-gw").get("status").asText()));
            await().atMost(Duration.ofSeconds(20)).until(() -> "offline".equals(node("raw-gw.press-3").get("status").asText()));
            String scrape = Http.get("http://127.0.0.1:" + server.webPort() + "/observe/metrics").body();
            assertTrue(Http.sample(scrape, "iiot_sparkplug_rebirth_requests_total").orElse(0.0) >= 3, scrape);
            assertTrue(Http.sample(scrape, "iiot_sparkplug_stale_deaths_total").orElse(0.0) >= 1, "the older will");
            JsonNode completeness = node("raw-gw").get("completeness");
            assertEquals(5, completeness.get("received").asLong(), completeness.toString());
        } finally {
            gw.disconnect();
            gw.close();
        }
    }

    private static String tsdbUrl() {
        return app.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
    }

    private static JsonNode state(String hostId) {
        for (int i = seen.size() - 1; i >= 0; i--) {
            if (seen.get(i).getKey().equals("spBv1.0/STATE/" + hostId)) {
                try {
                    return JSON.readTree(seen.get(i).getValue());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }

    private static int count(String topic) {
        return (int) seen.stream().filter(e -> e.getKey().equals(topic)).count();
    }

    private static boolean isRebirthRequest(String topic) {
        return seen.stream().filter(e -> e.getKey().equals(topic)).map(e -> decode(e.getValue()))
                .anyMatch(p -> p.getMetrics().stream().anyMatch(m -> SparkplugMeta.METRIC_NODE_REBIRTH.equals(m.getName())
                        && Boolean.TRUE.equals(m.getValue())));
    }

    /** Tahu's protobuf classes: the metric carries an alias, no name, no datatype. */
    private static boolean byAliasOnly(byte[] bytes) {
        try {
            org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric metric =
                    org.eclipse.tahu.protobuf.SparkplugBProto.Payload.parseFrom(bytes).getMetrics(0);
            return metric.hasAlias() && !metric.hasName() && metric.getDatatype() == 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decoded by Tahu's host-side decoder. */
    private static SparkplugBPayload decode(byte[] bytes) {
        try {
            return new SparkplugBPayloadDecoder().buildFromByteArray(bytes, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode node(String node) throws Exception {
        Http.Response response = Http.get("http://127.0.0.1:" + server.webPort() + "/api/nodes/it/" + node);
        assertEquals(200, response.status(), response.body());
        return JSON.readTree(response.body());
    }

    private static List<String> deadLetters(String nodePrefix) {
        try {
            List<String> reasons = new ArrayList<>();
            TsdbRows.query(tsdbUrl(), "SELECT reason FROM deadletter WHERE node = '" + nodePrefix + "' ORDER BY timestamp")
                    .forEach(r -> reasons.add((String) r.get("reason")));
            return reasons;
        } catch (IllegalStateException e) {
            return List.of();   // no dead letter table yet
        }
    }

    private static List<Map<String, Object>> rows(String where) {
        return TsdbRows.query(tsdbUrl(), "SELECT timestamp, node, channel, value, unit, quality, reason, historical "
                + "FROM reading WHERE " + where + " ORDER BY timestamp, node, channel");
    }

    private static List<Map<String, Object>> rowsWithSeq(String where) {
        return TsdbRows.query(tsdbUrl(), "SELECT timestamp, node, channel, value, unit, quality, reason, historical, seq "
                + "FROM reading WHERE " + where + " ORDER BY timestamp, node, channel");
    }

    private static Map<String, Object> row(long ts, String node, String channel, double value, String unit,
                                           String quality, String reason, boolean historical) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("timestamp", QUESTDB_TIME.format(Instant.ofEpochMilli(ts)));
        row.put("node", node);
        row.put("channel", channel);
        row.put("value", value);
        row.put("unit", unit);
        row.put("quality", quality);
        row.put("reason", reason);
        row.put("historical", historical);
        return row;
    }

    private static Map<String, Object> row(long ts, String node, String channel, double value, String unit,
                                           String quality, String reason, boolean historical, int seq) {
        Map<String, Object> row = row(ts, node, channel, value, unit, quality, reason, historical);
        row.put("seq", seq);
        return row;
    }
}
