package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.tsdb.EmbeddedQuestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The TSDB goes away for 30 s while a node keeps publishing: nothing is lost, nothing is doubled. */
class TsdbOutageIT {

    private static final int COUNT = 900;
    private static final long PERIOD_MS = 50;

    @TempDir
    Path dir;
    private EmbeddedQuestDb tsdb;
    private IiotApplication app;
    private int brokerPort;

    @BeforeEach
    void start() throws Exception {
        tsdb = new EmbeddedQuestDb(dir.resolve("tsdb"), "127.0.0.1", TestPorts.free(), 0);
        tsdb.start();
        tsdb.executeScript("questdb/schema.sql");
        TestServer server = TestServer.of(Mode.SERVER, dir.resolve("server")).anonymousPublishers()
                .with("iiot.tsdb.url", tsdb.getHttpUrl())
                .with("iiot.server.retry-max-delay-ms", "2000");
        brokerPort = server.brokerPort();
        app = server.start();
    }

    @AfterEach
    void stop() throws Exception {
        app.stop();
        tsdb.stop();
    }

    @Test
    void aThirtySecondTsdbOutageLosesNothing() throws Exception {
        try (StreamPublisher node = new StreamPublisher("tcp://127.0.0.1:" + brokerPort, "it", "outage-1")) {
            node.start(COUNT, PERIOD_MS);
            await().atMost(Duration.ofSeconds(30)).until(() -> TsdbRows.count(tsdb.getHttpUrl(), "node = 'outage-1'") >= 100);

            tsdb.stop();
            long publishedAtOutage = node.published();
            // the outage lasts while the node publishes 600 more messages at 20/s: 30 s
            await().atMost(Duration.ofSeconds(60)).until(() -> node.published() >= publishedAtOutage + 600);
            tsdb.start();

            assertEquals(COUNT, node.awaitDone(60));
            await().atMost(Duration.ofSeconds(90)).until(() -> TsdbRows.count(tsdb.getHttpUrl(), "node = 'outage-1'") == COUNT);
        }
        List<Map<String, Object>> seqs = TsdbRows.query(tsdb.getHttpUrl(),
                "SELECT count_distinct(seq) n, min(seq) lo, max(seq) hi FROM reading WHERE node = 'outage-1'");
        assertEquals(Map.of("n", COUNT, "lo", 1, "hi", COUNT), seqs.get(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> app.context().getRegistry()
                .lookupByNameAndType("nodeMonitor", io.iiotroutes.server.NodeMonitor.class).nodes().stream()
                .anyMatch(n -> n.node().equals("outage-1") && n.completeness().lastSeq() == COUNT));
        io.iiotroutes.server.NodeMonitor.NodeState state = app.context().getRegistry()
                .lookupByNameAndType("nodeMonitor", io.iiotroutes.server.NodeMonitor.class).nodes().stream()
                .filter(n -> n.node().equals("outage-1")).findFirst().orElseThrow();
        assertEquals(0, state.completeness().gaps(), state.toString());
    }
}
