package io.iiotroutes.it;

import io.iiotroutes.broker.BrokerSettings;
import io.iiotroutes.broker.EmbeddedMqttBroker;
import io.iiotroutes.tsdb.EmbeddedQuestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The server process is killed with SIGKILL mid-stream and started again: the broker keeps its persistent session
 * (unacknowledged and queued messages), so every published reading ends up stored exactly once.
 */
class ServerKillIT {

    private static final int COUNT = 600;

    // kept when the test fails: the servers' logs are the first thing to read then
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private EmbeddedMqttBroker broker;
    private EmbeddedQuestDb tsdb;
    private int webPort;
    private Process server;

    @BeforeEach
    void startBrokerAndTsdb() {
        broker = new EmbeddedMqttBroker(dir.resolve("broker"), new BrokerSettings("127.0.0.1", TestPorts.free(), false, 100_000, 65_535));
        broker.start();
        tsdb = new EmbeddedQuestDb(dir.resolve("tsdb"), "127.0.0.1", 0, 0);
        tsdb.start();
        tsdb.executeScript("questdb/schema.sql");
        webPort = TestPorts.free();
    }

    @AfterEach
    void stopAll() {
        if (server != null) {
            server.destroyForcibly();
        }
        tsdb.stop();
        broker.stop();
    }

    private Process startServer(String name) throws Exception {
        Process process = TestProcesses.startJar(dir.resolve(name + ".log"), List.of(), "server",
                "--iiot.mqtt.url=" + broker.getUrl(),
                "--iiot.tsdb.url=" + tsdb.getHttpUrl(),
                "--iiot.web.port=" + webPort,
                "--iiot.data.dir=" + dir.resolve("server"));
        // ready: its persistent session exists (docs/operations.md): from then on the broker keeps what it misses.
        // The API answers earlier, and a message published before the first subscription is kept for nobody.
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/observe/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        return process;
    }

    @Test
    void aServerKilledMidStreamLosesNothing() throws Exception {
        server = startServer("server-first");
        try (StreamPublisher node = new StreamPublisher(broker.getUrl(), "it", "kill-1")) {
            node.start(COUNT, 20);
            await().atMost(Duration.ofSeconds(30)).until(() -> TsdbRows.count(tsdb.getHttpUrl(), "node = 'kill-1'") >= 150);

            server.destroyForcibly().waitFor();   // SIGKILL: no shutdown hook, nothing flushed, nothing acknowledged
            long publishedAtKill = node.published();
            await().atMost(Duration.ofSeconds(30)).until(() -> node.published() >= publishedAtKill + 100);
            server = startServer("server-restarted");

            assertEquals(COUNT, node.awaitDone(60));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertEquals(COUNT, TsdbRows.count(tsdb.getHttpUrl(), "node = 'kill-1'"), "stored rows; logs in " + dir));
        }
        List<Map<String, Object>> seqs = TsdbRows.query(tsdb.getHttpUrl(),
                "SELECT count_distinct(seq) n, min(seq) lo, max(seq) hi FROM reading WHERE node = 'kill-1'");
        assertEquals(Map.of("n", COUNT, "lo", 1, "hi", COUNT), seqs.get(0));
        // the session's backlog arrives as soon as the subscription is made: the sub-routes must already run
        // (startupOrder in the routes), or each early message blocks the MQTT client for direct:'s 30 s timeout
        assertFalse(Files.readString(dir.resolve("server-restarted.log")).contains("No consumers available"),
                "backlog delivered before the ingest sub-routes started; logs in " + dir);
    }
}
