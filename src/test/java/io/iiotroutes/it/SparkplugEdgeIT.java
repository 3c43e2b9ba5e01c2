package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.edge.EdgeNodeConfig;
import io.iiotroutes.edge.forward.JournalSettings;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import io.iiotroutes.net.NoDelaySocketFactory;
import io.iiotroutes.node.NodeConfig;
import io.iiotroutes.sparkplug.SparkplugEdgePublisher;
import io.iiotroutes.sparkplug.SparkplugHostClient;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our edge node as a Sparkplug B edge node (protocol sparkplug-b), its output decoded by Tahu's host-side decoder:
 * it journals while its primary host is offline, is born when the host's STATE says online (NBIRTH: every channel
 * with alias, unit and range, bdSeq 0), replays the journal as historical NDATA by alias, sends live NDATA, answers a
 * rebirth request (NCMD) with a new NBIRTH of the same bdSeq, and dies with its NDEATH. Our own server, as Sparkplug
 * host, stores what it sent: the exact rows and the node's status.
 */
class SparkplugEdgeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private IiotApplication app;
    private MqttClient observer;
    private final List<Map.Entry<String, byte[]>> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (observer != null) {
            observer.disconnect();
            observer.close();
        }
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void ourEdgeNodeSpeaksSparkplugToTahusDecoderAndToOurHost() throws Exception {
        TestServer server = TestServer.of(Mode.SERVER, dir.resolve("server")).anonymousPublishers()
                .with("iiot.sparkplug.enabled", "true");
        app = server.start();
        String url = "tcp://127.0.0.1:" + server.brokerPort();
        observer = new MqttClient(url, "it-spb-observer", new MemoryPersistence());
        observer.connect();
        IMqttMessageListener record = (topic, message) -> seen.add(Map.entry(topic, message.getPayload()));
        observer.subscribe(new MqttSubscription[]{new MqttSubscription("spBv1.0/it/#", 1)}, new IMqttMessageListener[]{record});

        Path nodeFile = dir.resolve("spb-1.yaml");
        Files.writeString(nodeFile, """
                site: it
                node: spb-1
                protocol: sparkplug-b
                driver: { type: simulated }
                groups:
                  - name: fast
                    periodMs: 1000
                    channels:
                      - { id: ai1, signal: 4-20mA, range: [0, 10], unit: bar, simulation: { shape: sine, min: 4, max: 20 } }
                      - { id: ai2, signal: 0-10V, range: [0, 100], unit: "%", simulation: { shape: sine, min: 0, max: 10 } }
                """);
        NodeConfig config = EdgeNodeConfig.load(nodeFile);
        assertTrue(config.sparkplugB());
        SparkplugEdgePublisher edge = new SparkplugEdgePublisher(new SparkplugEdgePublisher.Settings(url, "it-spb-1",
                null, null, "it", "spb-1", "other-host", dir.resolve("journal"), JournalSettings.defaults(),
                dir.resolve("it.spb-1.bdseq")), config, new NoDelaySocketFactory());
        long t = (System.currentTimeMillis() / 1000) * 1000 - 30_000;
        try {
            edge.start();
            // the primary host is not online: journaled
            for (int i = 1; i <= 3; i++) {
                edge.publish(message(i, t + i * 1000L + 7, 1.0 + i, i == 3 ? Quality.UNCERTAIN : Quality.GOOD));
            }
            assertEquals(3, edge.backlog());
            assertEquals(0, count("spBv1.0/it/NBIRTH/spb-1"));

            // the primary host says online: birth, then the journal as historical NDATA
            observer.publish("spBv1.0/STATE/other-host", ("{\"online\":true,\"timestamp\":" + System.currentTimeMillis() + "}")
                    .getBytes(StandardCharsets.UTF_8), 1, true);
            await().atMost(Duration.ofSeconds(20)).until(() -> edge.isBorn() && edge.backlog() == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> count("spBv1.0/it/NDATA/spb-1") == 3);
            assertEquals(1, count("spBv1.0/it/NBIRTH/spb-1"), "one birth per connection");
            SparkplugBPayload birth = decode(first("spBv1.0/it/NBIRTH/spb-1"), null);
            assertEquals(0L, birth.getSeq());
            assertEquals(0L, metric(birth, "bdSeq").getValue());
            assertEquals(Boolean.FALSE, metric(birth, "Node Control/Rebirth").getValue());
            Metric ai1 = metric(birth, "ai1");
            assertEquals(1L, ai1.getAlias());
            assertEquals(MetricDataType.Double, ai1.getDataType());
            assertEquals(4.0, ai1.getValue(), "the latest value at birth");
            assertEquals("bar", ai1.getProperties().getPropertyValue("engUnit").getValue());
            assertEquals(0.0, ai1.getProperties().getPropertyValue("engLow").getValue());
            assertEquals(10.0, ai1.getProperties().getPropertyValue("engHigh").getValue());
            assertEquals(2L, metric(birth, "ai2").getAlias());

            // Tahu's decoder, given the birth's datatypes by alias, reads the NDATA that leave them out
            MetricDataTypeMap types = new MetricDataTypeMap();
            types.addMetricDataType(1L, MetricDataType.Double);
            types.addMetricDataType(2L, MetricDataType.Double);
            List<SparkplugBPayload> data = seen.stream().filter(e -> e.getKey().equals("spBv1.0/it/NDATA/spb-1"))
                    .map(e -> decode(e.getValue(), types)).toList();
            assertEquals(List.of(1L, 2L, 3L), data.stream().map(SparkplugBPayload::getSeq).toList());
            Metric first = data.get(0).getMetrics().get(0);
            assertNull(first.getName(), "by alias only");
            assertEquals(1L, first.getAlias());
            assertEquals(2.0, first.getValue());
            assertEquals(t + 1007, first.getTimestamp().getTime());
            assertEquals(Boolean.TRUE, first.isHistorical());
            assertEquals(500, data.get(2).getMetrics().get(0).getProperties().getPropertyValue("Quality").getValue(),
                    "UNCERTAIN as STALE");

            // live
            edge.publish(message(4, t + 4007, 5.0, Quality.GOOD));
            await().atMost(Duration.ofSeconds(10)).until(() -> count("spBv1.0/it/NDATA/spb-1") == 4);
            SparkplugBPayload live = decode(last("spBv1.0/it/NDATA/spb-1"), types);
            assertEquals(4L, live.getSeq());
            assertTrue(!Boolean.TRUE.equals(live.getMetrics().get(0).isHistorical()), "live, not historical");

            // a rebirth request (as a host sends it): a new NBIRTH, same bdSeq, seq 0
            observer.publish("spBv1.0/it/NCMD/spb-1", SparkplugHostClient.rebirthRequest(System.currentTimeMillis()), 0, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> count("spBv1.0/it/NBIRTH/spb-1") == 2);
            SparkplugBPayload rebirth = decode(last("spBv1.0/it/NBIRTH/spb-1"), null);
            assertEquals(0L, rebirth.getSeq());
            assertEquals(0L, metric(rebirth, "bdSeq").getValue());
            assertEquals(5.0, metric(rebirth, "ai1").getValue());

            // our host stored it all
            String tsdb = app.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
            await().atMost(Duration.ofSeconds(30)).until(() -> TsdbRows.count(tsdb, "node = 'spb-1'") == 8);
            List<Map<String, Object>> rows = TsdbRows.query(tsdb, "SELECT timestamp, channel, value, unit, quality, historical "
                    + "FROM reading WHERE node = 'spb-1' ORDER BY timestamp, channel");
            assertEquals(List.of(
                    row(t + 1007, "ai1", 2.0, "bar", "GOOD", true), row(t + 1007, "ai2", 20.0, "%", "GOOD", true),
                    row(t + 2007, "ai1", 3.0, "bar", "GOOD", true), row(t + 2007, "ai2", 30.0, "%", "GOOD", true),
                    row(t + 3007, "ai1", 4.0, "bar", "UNCERTAIN", true), row(t + 3007, "ai2", 40.0, "%", "UNCERTAIN", true),
                    row(t + 4007, "ai1", 5.0, "bar", "GOOD", false), row(t + 4007, "ai2", 50.0, "%", "GOOD", false)), rows);
            assertEquals("online", node(server, "spb-1").get("status").asText());
        } finally {
            edge.close();
        }
        SparkplugBPayload death = decode(last("spBv1.0/it/NDEATH/spb-1"), null);
        assertEquals(0L, death.getMetrics().get(0).getValue());
        await().atMost(Duration.ofSeconds(20)).until(() -> "offline".equals(node(server, "spb-1").get("status").asText()));
    }

    /**
     * The wiring: in demo mode a node file with protocol sparkplug-b gets the Sparkplug publisher, logs in with its
     * own account (the broker's Sparkplug topic rules, the NDEATH will checked at CONNECT) and feeds our host.
     */
    @Test
    void aNodeFileWithProtocolSparkplugBFeedsOurHostThroughItsOwnAccount() throws Exception {
        Path nodeFile = dir.resolve("spb-demo.yaml");
        Files.writeString(nodeFile, """
                site: demo
                node: spb-demo
                protocol: sparkplug-b
                driver: { type: simulated }
                groups:
                  - name: fast
                    periodMs: 200
                    channels:
                      - { id: ai1, signal: 4-20mA, range: [0, 10], unit: bar, simulation: { shape: sine, min: 4, max: 20 } }
                """);
        TestServer server = TestServer.of(Mode.DEMO, dir.resolve("demo"))
                .with("iiot.edge.nodes", nodeFile.toString())
                .with("iiot.sparkplug.enabled", "true")
                .with("iiot.edge.sparkplug.primary-host", "iiot-routes");
        app = server.start();
        String tsdb = app.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
        await().atMost(Duration.ofSeconds(30)).until(() -> TsdbRows.count(tsdb, "node = 'spb-demo' AND unit = 'bar'") >= 3);
        assertEquals("online", node(server, "spb-demo", "demo").get("status").asText());
        try {
            assertEquals(List.of(), TsdbRows.query(tsdb, "SELECT reason FROM deadletter"), "nothing refused");
        } catch (IllegalStateException noTable) {
            assertTrue(noTable.getMessage().contains("table does not exist"), noTable.getMessage());
        }
    }

    private static NodeMessage message(long seq, long ts, double value, Quality quality) {
        String reason = quality == Quality.GOOD ? null : "clamped";
        return NodeMessage.live("it", "spb-1", seq, ts, List.of(
                new Reading("ai1", value, "bar", null, quality, reason),
                new Reading("ai2", value * 10, "%", null, quality, reason)));
    }

    private int count(String topic) {
        return (int) seen.stream().filter(e -> e.getKey().equals(topic)).count();
    }

    private byte[] first(String topic) {
        return seen.stream().filter(e -> e.getKey().equals(topic)).findFirst().orElseThrow().getValue();
    }

    private byte[] last(String topic) {
        return seen.stream().filter(e -> e.getKey().equals(topic)).reduce((a, b) -> b).orElseThrow().getValue();
    }

    private static SparkplugBPayload decode(byte[] bytes, MetricDataTypeMap types) {
        try {
            return new SparkplugBPayloadDecoder().buildFromByteArray(bytes, types);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Metric metric(SparkplugBPayload payload, String name) {
        return payload.getMetrics().stream().filter(m -> name.equals(m.getName())).findFirst().orElseThrow();
    }

    private static JsonNode node(TestServer server, String node) throws Exception {
        return node(server, node, "it");
    }

    private static JsonNode node(TestServer server, String node, String site) throws Exception {
        return JSON.readTree(Http.get("http://127.0.0.1:" + server.webPort() + "/api/nodes/" + site + "/" + node).body());
    }

    private static Map<String, Object> row(long ts, String channel, double value, String unit, String quality,
                                           boolean historical) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("timestamp", java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(ts)));
        row.put("channel", channel);
        row.put("value", value);
        row.put("unit", unit);
        row.put("quality", quality);
        row.put("historical", historical);
        return row;
    }
}
