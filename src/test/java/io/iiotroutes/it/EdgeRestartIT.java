package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.broker.BrokerSettings;
import io.iiotroutes.broker.EmbeddedMqttBroker;
import io.iiotroutes.tsdb.EmbeddedQuestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole chain with real processes' parts: an edge node (edge mode, simulated driver) publishing through the
 * broker to the server and the TSDB. The broker goes down, the edge is restarted while it is down, the broker
 * comes back: the journal is replayed in order, flagged historical, and no sequence number is missing.
 */
class EdgeRestartIT {

    @TempDir
    Path dir;
    private EmbeddedMqttBroker broker;
    private EmbeddedQuestDb tsdb;
    private IiotApplication server;
    private IiotApplication edge;
    private Path nodeFile;
    private int edgeObservePort;

    @BeforeEach
    void start() throws Exception {
        broker = new EmbeddedMqttBroker(dir.resolve("broker"), new BrokerSettings("127.0.0.1", TestPorts.free(), true, 100_000, 65_535));
        broker.start();
        tsdb = new EmbeddedQuestDb(dir.resolve("tsdb"), "127.0.0.1", 0, 0);
        tsdb.start();
        tsdb.executeScript("questdb/schema.sql");
        server = TestServer.of(Mode.SERVER, dir.resolve("server"))
                .with("iiot.mqtt.url", broker.getUrl())
                .with("iiot.tsdb.url", tsdb.getHttpUrl())
                .start();
        edgeObservePort = TestPorts.free();
        nodeFile = dir.resolve("restart-1.yaml");
        Files.writeString(nodeFile, """
                site: it
                node: restart-1
                driver:
                  type: simulated
                  seed: 7
                # an acknowledgement window lost with a broker restart is sent again after 5 s, not the default 30 s
                delivery: { resendAfterS: 5 }
                groups:
                  - name: fast
                    periodMs: 100
                    channels:
                      - id: ai1
                        signal: 0-10V
                        range: [0, 100]
                        unit: "%"
                        simulation: { shape: ramp, min: 0, max: 10, periodS: 5 }
                """);
    }

    @AfterEach
    void stop() throws Exception {
        if (edge != null) {
            edge.stop();
        }
        server.stop();
        tsdb.stop();
        broker.stop();
    }

    private IiotApplication startEdge() throws Exception {
        IiotApplication app = new IiotApplication(Mode.EDGE, Map.of(
                "iiot.data.dir", dir.resolve("edge").toString(),
                "iiot.mqtt.url", broker.getUrl(),
                "iiot.edge.observe-port", Integer.toString(edgeObservePort),
                "iiot.edge.nodes", nodeFile.toString()));
        app.start();
        return app;
    }

    private long stored() {
        return TsdbRows.count(tsdb.getHttpUrl(), "node = 'restart-1'");
    }

    @Test
    void anEdgeRestartedWhileTheBrokerIsDownReplaysItsJournal() throws Exception {
        edge = startEdge();
        await().atMost(Duration.ofSeconds(30)).until(() -> stored() >= 20);

        broker.stop();
        long storedAtOutage = stored();
        // the node keeps sampling into its journal, is restarted, and keeps sampling
        await().atMost(Duration.ofSeconds(10)).until(() -> server.context() != null && edgeJournalBacklog() >= 10);
        edge.stop();
        edge = startEdge();
        await().atMost(Duration.ofSeconds(10)).until(() -> edgeJournalBacklog() >= 20);
        // what an operator sees on the edge meanwhile: not ready, and the backlog growing
        Http.Response health = Http.get(edgeUrl("/observe/health"));
        assertEquals(503, health.status(), health.body());
        assertTrue(health.body().contains("\"name\":\"mqtt-broker-restart-1\",\"status\":\"DOWN\""), health.body());
        assertTrue(Http.sample(Http.get(edgeUrl("/observe/metrics")).body(), "iiot_edge_backlog{node=\"restart-1\"}")
                .orElseThrow() >= 20);
        broker.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(edgeUrl("/observe/health")).status() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.sample(Http.get(edgeUrl("/observe/metrics")).body(),
                "iiot_edge_unsent{node=\"restart-1\"}").orElseThrow() < 5);
        // and what the server stored it acknowledged: the journal keeps only the last moments
        await().atMost(Duration.ofSeconds(60)).until(() -> Http.sample(Http.get(edgeUrl("/observe/metrics")).body(),
                "iiot_edge_backlog{node=\"restart-1\"}").orElseThrow() < 20);

        await().atMost(Duration.ofSeconds(30)).until(() -> stored() >= storedAtOutage + 40);
        edge.stop();
        edge = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> "offline".equals(statusOf("restart-1")));

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Object> s = TsdbRows.query(tsdb.getHttpUrl(), "SELECT count() n, count_distinct(seq) d, "
                    + "min(seq) lo, max(seq) hi FROM reading WHERE node = 'restart-1'").get(0);
            return ((Number) s.get("n")).longValue() == ((Number) s.get("hi")).longValue()
                    && s.get("d").equals(s.get("n")) && ((Number) s.get("lo")).longValue() == 1;
        });
        List<Map<String, Object>> historical = TsdbRows.query(tsdb.getHttpUrl(),
                "SELECT count() n FROM reading WHERE node = 'restart-1' AND historical = true");
        assertTrue(((Number) historical.get(0).get("n")).longValue() >= 20, "journaled readings arrive flagged historical");
        assertEquals(0, gapsOf("restart-1"));
    }

    private String edgeUrl(String path) {
        return "http://127.0.0.1:" + edgeObservePort + path;
    }

    private long edgeJournalBacklog() {
        return edge.runtime().edgePublishers().get(0).stats().backlog();
    }

    private String statusOf(String node) {
        return server.context().getRegistry().lookupByNameAndType("nodeMonitor", io.iiotroutes.server.NodeMonitor.class)
                .nodes().stream().filter(n -> n.node().equals(node)).findFirst().map(n -> n.status()).orElse("unknown");
    }

    private long gapsOf(String node) {
        return server.context().getRegistry().lookupByNameAndType("nodeMonitor", io.iiotroutes.server.NodeMonitor.class)
                .nodes().stream().filter(n -> n.node().equals(node)).findFirst().orElseThrow().completeness().gaps();
    }
}
