package io.iiotroutes.it;

import io.iiotroutes.tsdb.EmbeddedQuestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A server that was down while nodes kept publishing comes back to a large backlog in its persistent session.
 * Mosquitto delivers that backlog as soon as the client reconnects, before the routes have finished starting:
 * the MQTT consumer routes start last (startupOrder), so the first messages find the sub-routes running instead
 * of blocking the MQTT client (and with it the start-up) on direct:'s 30 s wait for a consumer.
 */
class ServerBacklogRestartIT {

    private static final int BACKLOG = 3_000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private MosquittoBroker broker;
    private EmbeddedQuestDb tsdb;
    private int webPort;
    private Process server;

    @BeforeAll
    static void requireMosquitto() {
        MosquittoBroker.requireInstalled();
    }

    @BeforeEach
    void startBrokerAndTsdb() throws Exception {
        broker = new MosquittoBroker(dir.resolve("mosquitto"), TestPorts.free());
        broker.start();
        tsdb = new EmbeddedQuestDb(dir.resolve("tsdb"), "127.0.0.1", 0, 0);
        tsdb.start();
        webPort = TestPorts.free();
    }

    @AfterEach
    void stopAll() {
        if (server != null) {
            TestProcesses.stopGracefully(server, Duration.ofSeconds(15));
        }
        tsdb.stop();
        broker.stop();
    }

    private Process startServer(String name) throws Exception {
        return TestProcesses.startJar(dir.resolve(name + ".log"), List.of(), "server",
                "--iiot.mqtt.url=" + broker.url(),
                "--iiot.tsdb.url=" + tsdb.getHttpUrl(),
                "--iiot.server.client-id=it-backlog-server",
                "--iiot.web.port=" + webPort,
                "--iiot.data.dir=" + dir.resolve("server"));
    }

    private boolean webAnswers() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/api/nodes")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    @Test
    void aServerRestartedIntoABacklogStartsAtOnceAndStoresIt() throws Exception {
        server = startServer("server-first");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(this::webAnswers);   // session and subscription exist
        TestProcesses.stopGracefully(server, Duration.ofSeconds(20));
        server = null;

        try (StreamPublisher node = new StreamPublisher(broker.url(), "it", "backlog-1")) {
            assertEquals(BACKLOG, node.start(BACKLOG, 1).awaitDone(120), "queued by the broker for the stopped server");
        }

        server = startServer("server-restarted");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(this::webAnswers);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertEquals(BACKLOG, TsdbRows.count(tsdb.getHttpUrl(), "node = 'backlog-1'"), "logs in " + dir));
        assertFalse(Files.readString(dir.resolve("server-restarted.log")).contains("No consumers available"),
                "backlog delivered before the ingest sub-routes started; logs in " + dir);
    }
}
