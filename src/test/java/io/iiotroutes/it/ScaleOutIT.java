package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.tsdb.EmbeddedQuestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scale-out: two server processes share one subscription ({@code $share/...}, MQTT 5 shared subscription) on one
 * Mosquitto and write to one QuestDB. Every published reading is stored exactly once and each node's readings are
 * in sequence order in the TSDB, although consecutive messages of a node are handled by different servers.
 * The reading table is created here <em>without</em> deduplication, so a point written twice would show as two rows.
 */
class ScaleOutIT {

    private static final int NODES = 4;
    private static final int PER_NODE = 300;
    private static final String SHARED = "$share/it-servers/iiot/v1/+/+/data";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private MosquittoBroker broker;
    private EmbeddedQuestDb tsdb;
    private final List<Process> servers = new ArrayList<>();
    private final List<Integer> webPorts = new ArrayList<>();

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
        tsdb.execute("""
                CREATE TABLE reading (site SYMBOL, node SYMBOL, channel SYMBOL, unit SYMBOL, value DOUBLE, raw LONG,
                quality VARCHAR, reason VARCHAR, seq LONG, historical BOOLEAN, timestamp TIMESTAMP)
                TIMESTAMP(timestamp) PARTITION BY DAY WAL""");
    }

    @AfterEach
    void stopAll() {
        servers.forEach(p -> TestProcesses.stopGracefully(p, Duration.ofSeconds(15)));
        tsdb.stop();
        broker.stop();
    }

    /** One server instance: own client id and web port, the shared broker and TSDB, no embedded ones. */
    private void startServer(String name) throws Exception {
        int webPort = TestPorts.free();
        servers.add(TestProcesses.startJar(dir.resolve(name + ".log"), List.of("-Xmx256m"), "server",
                "--iiot.mqtt.url=" + broker.url(),
                "--iiot.tsdb.url=" + tsdb.getHttpUrl(),
                "--iiot.server.subscription=" + SHARED,
                "--iiot.server.client-id=" + name,
                "--iiot.web.port=" + webPort,
                "--iiot.data.dir=" + dir.resolve(name)));
        webPorts.add(webPort);
    }

    private static JsonNode nodesOf(int webPort) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + webPort + "/api/nodes")).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /api/nodes: " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    /** Messages this instance received (its per-node completeness counters, summed). */
    private static long receivedBy(int webPort) throws Exception {
        return nodesOf(webPort).findValues("received").stream().mapToLong(JsonNode::asLong).sum();
    }

    @Test
    void twoServersShareTheLoadWithoutLossDuplicatesOrReordering() throws Exception {
        startServer("it-server-a");
        startServer("it-server-b");
        for (int port : webPorts) {
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> nodesOf(port) != null);
        }

        List<StreamPublisher> nodes = new ArrayList<>();
        try {
            for (int n = 1; n <= NODES; n++) {
                nodes.add(new StreamPublisher(broker.url(), "it", "scale-" + n).start(PER_NODE, 5));
            }
            for (StreamPublisher node : nodes) {
                assertEquals(PER_NODE, node.awaitDone(60));
            }
        } finally {
            for (StreamPublisher node : nodes) {
                node.close();
            }
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> TsdbRows.count(tsdb.getHttpUrl(), "site = 'it'") >= NODES * PER_NODE);
        assertEquals(NODES * PER_NODE, TsdbRows.count(tsdb.getHttpUrl(), "site = 'it'"), "no duplicate rows");

        List<Long> expectedSeqs = LongStream.rangeClosed(1, PER_NODE).boxed().toList();
        for (int n = 1; n <= NODES; n++) {
            List<Long> seqsInTimeOrder = TsdbRows.query(tsdb.getHttpUrl(),
                            "SELECT seq FROM reading WHERE node = 'scale-" + n + "' ORDER BY timestamp").stream()
                    .map(row -> ((Number) row.get("seq")).longValue()).toList();
            assertEquals(expectedSeqs, seqsInTimeOrder, "node scale-" + n + ": every seq once, in order");
        }

        // both instances took part, and together they received each message exactly once; a server counts a
        // message after its batched write is committed, so its counter may trail the rows by a moment
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> receivedBy(webPorts.get(0)) + receivedBy(webPorts.get(1)) >= NODES * PER_NODE);
        long a = receivedBy(webPorts.get(0));
        long b = receivedBy(webPorts.get(1));
        assertTrue(a > 0 && b > 0, "both servers received messages: " + a + " / " + b);
        assertEquals(NODES * PER_NODE, a + b, "split " + a + " / " + b);
        List<Map<String, Object>> perNode = TsdbRows.query(tsdb.getHttpUrl(),
                "SELECT node, count() n, count_distinct(seq) d FROM reading WHERE site = 'it' ORDER BY node");
        assertEquals(NODES, perNode.size());
        perNode.forEach(row -> assertEquals(row.get("n"), row.get("d"), "duplicates: " + row));
    }
}
