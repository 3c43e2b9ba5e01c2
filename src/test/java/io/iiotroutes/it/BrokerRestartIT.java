package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.broker.EmbeddedMqttBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The broker restarts mid-stream; the server's persistent session and the publisher's retries lose nothing. */
class BrokerRestartIT {

    private static final int COUNT = 600;

    @TempDir
    Path dir;
    private IiotApplication app;

    @AfterEach
    void stopServer() throws Exception {
        if (app != null) {
            app.stop();
        }
    }

    private void startServer(Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(settings);
        all.put("iiot.data.dir", dir.resolve("server").toString());
        // the test's publishers stand in for nodes without accounts (MqttSecurityIT covers authentication)
        all.put("iiot.broker.allow-anonymous", "true");
        all.put("iiot.tsdb.http-port", "0");
        all.put("iiot.tsdb.pg-port", "0");
        all.put("iiot.web.port", Integer.toString(TestPorts.free()));
        app = new IiotApplication(Mode.SERVER, all);
        app.start();
    }

    private String tsdbUrl() {
        return app.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
    }

    private void streamAcrossARestart(String brokerUrl, String node, Runnable stopBroker, Runnable startBroker) throws Exception {
        try (StreamPublisher publisher = new StreamPublisher(brokerUrl, "it", node)) {
            publisher.start(COUNT, 20);
            await().atMost(Duration.ofSeconds(30)).until(() -> TsdbRows.count(tsdbUrl(), "node = '" + node + "'") >= 150);

            stopBroker.run();
            long publishedAtStop = publisher.published();
            startBroker.run();
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.published() >= publishedAtStop + 100);

            assertEquals(COUNT, publisher.awaitDone(90));
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> TsdbRows.count(tsdbUrl(), "node = '" + node + "'") == COUNT);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("stored " + TsdbRows.count(tsdbUrl(), "node = '" + node + "'") + " of " + COUNT
                        + "; missing seqs: " + missingSeqs(node) + "; server saw " + app.context().getRegistry()
                        .lookupByNameAndType("nodeMonitor", io.iiotroutes.server.NodeMonitor.class).nodes(), e);
            }
        }
        List<Map<String, Object>> seqs = TsdbRows.query(tsdbUrl(),
                "SELECT count_distinct(seq) n, min(seq) lo, max(seq) hi FROM reading WHERE node = '" + node + "'");
        assertEquals(Map.of("n", COUNT, "lo", 1, "hi", COUNT), seqs.get(0));
    }

    private List<Long> missingSeqs(String node) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        TsdbRows.query(tsdbUrl(), "SELECT seq FROM reading WHERE node = '" + node + "'")
                .forEach(row -> seen.add(((Number) row.get("seq")).longValue()));
        List<Long> missing = new java.util.ArrayList<>();
        for (long seq = 1; seq <= COUNT; seq++) {
            if (!seen.contains(seq)) {
                missing.add(seq);
            }
        }
        return missing;
    }

    @Test
    void theEmbeddedBrokerRestartsMidStream() throws Exception {
        int port = TestPorts.free();
        startServer(Map.of("iiot.broker.port", Integer.toString(port), "iiot.broker.persistent", "true"));
        EmbeddedMqttBroker broker = app.runtime().embeddedBroker().orElseThrow();

        streamAcrossARestart(broker.getUrl(), "restart-embedded", broker::stop, broker::start);
    }

    @Test
    void aMosquittoWithPersistenceRestartsMidStream() throws Exception {
        MosquittoBroker.requireInstalled();
        // under target/ so that its log outlives the test
        Path mosquittoDir = Path.of("target", "mosquitto-" + System.currentTimeMillis());
        try (MosquittoBroker mosquitto = new MosquittoBroker(mosquittoDir, TestPorts.free())) {
            mosquitto.start();
            startServer(Map.of("iiot.mqtt.url", mosquitto.url()));

            streamAcrossARestart(mosquitto.url(), "restart-mosquitto", mosquitto::stop, () -> {
                try {
                    mosquitto.start();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }
}
