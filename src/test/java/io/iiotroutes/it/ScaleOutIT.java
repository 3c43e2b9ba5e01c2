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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scale-out (docs/deployment.md, "Several server replicas"): three server processes share one subscription
 * ({@code $share/...}) on one Mosquitto and write to one QuestDB, while three nodes of our own publisher stream with
 * server acknowledgements. One replica is killed with SIGKILL mid-stream, in the middle of an alarm, and started
 * again later. Then: every published seq is stored once; every replica lists every node with no gap; a WebSocket
 * client on every replica (the restarted one too) gets frames of every node; the alarm raised and cleared meanwhile
 * is one raise and one clear in the TSDB; an alarm acknowledged on one replica is acknowledged on the others.
 */
class ScaleOutIT {

    private static final String SITE = "it";
    private static final List<String> NODES = List.of("scale-1", "scale-2", "scale-3");
    private static final String SHARED = "$share/it-servers/iiot/v1/+/+/data";
    private static final long PERIOD_MILLIS = 25;
    /** The nodes send again what waits this long for an acknowledgement (30 s by default). */
    private static final long RESEND_AFTER_MILLIS = 3_000;
    private static final double HIGH = 9.0;
    private static final double NORMAL = 5.0;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private MosquittoBroker broker;
    private EmbeddedQuestDb tsdb;
    private String nodeFiles;
    private final Map<String, Process> servers = new LinkedHashMap<>();
    private final Map<String, Integer> webPorts = new HashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void requireMosquitto() {
        MosquittoBroker.requireInstalled();
    }

    @BeforeEach
    void startBrokerAndTsdb() throws Exception {
        broker = new MosquittoBroker(Files.createDirectories(Path.of("target", "it-logs", "ScaleOutIT"))
                .resolve("mosquitto-" + System.currentTimeMillis()), TestPorts.free());
        broker.start();
        tsdb = new EmbeddedQuestDb(dir.resolve("tsdb"), "127.0.0.1", 0, 0);
        tsdb.start();
        tsdb.executeScript("questdb/schema.sql");   // the production tables: a point written twice is one row
        StringBuilder nodes = new StringBuilder();
        for (String node : NODES) {
            Path file = AlarmNodeFile.write(dir.resolve(node + ".yaml"), SITE, node);
            nodes.append(nodes.isEmpty() ? "" : ",").append(file);
        }
        nodeFiles = nodes.toString();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        servers.values().forEach(p -> TestProcesses.stopGracefully(p, Duration.ofSeconds(15)));
        tsdb.stop();
        broker.stop();
    }

    /** One replica: own client id, web port and data folder; the shared broker and TSDB, no embedded ones. */
    private void startServer(String name) throws Exception {
        int webPort = webPorts.computeIfAbsent(name, n -> TestPorts.free());
        // logs kept under target/ for a failed run's diagnosis (the temporary folder goes with the test)
        Path logs = Files.createDirectories(Path.of("target", "it-logs", "ScaleOutIT"));
        servers.put(name, TestProcesses.startJar(logs.resolve(name + "-" + System.currentTimeMillis() + ".log"), List.of("-Xmx192m"),
                "server",
                "--iiot.mqtt.url=" + broker.url(),
                "--iiot.tsdb.url=" + tsdb.getHttpUrl(),
                "--iiot.server.subscription=" + SHARED,
                "--iiot.server.client-id=" + name,
                "--iiot.server.nodes=" + nodeFiles,
                // the replicas exchange what they know of each stream every period (10 s by default)
                "--iiot.server.completeness-period-ms=2000",
                "--iiot.web.port=" + webPort,
                "--iiot.data.dir=" + dir.resolve(name)));
    }

    private JsonNode get(String replica, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + webPorts.get(replica) + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " on " + replica + ": " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    private void awaitUp(String replica) {
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> get(replica, "/api/nodes").isArray());
    }

    /** The replica's active alarm on the node's ai1, or null. */
    private JsonNode activeAlarm(String replica, String node) throws Exception {
        for (JsonNode alarm : get(replica, "/api/alarms").path("active")) {
            if (alarm.path("node").asText().equals(node)) {
                return alarm;
            }
        }
        return null;
    }

    private JsonNode nodeOn(String replica, String node) throws Exception {
        for (JsonNode n : get(replica, "/api/nodes")) {
            if (n.path("node").asText().equals(node)) {
                return n;
            }
        }
        throw new AssertionError(replica + " does not list " + node);
    }

    /** The replica shows every node's latest values: its own subscription to the data runs. */
    private void awaitShowingEveryNode(String replica) {
        long since = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> NODES.stream()
                .allMatch(node -> {
                    try {
                        // the source time of the node's latest message shown here (a status message also sets lastSeen)
                        return nodeOn(replica, node).path("lastSourceTimestamp").asLong() > since;
                    } catch (Exception e) {
                        return false;
                    }
                }));
    }

    private Set<String> nodesSeenBy(LiveClient client) {
        Set<String> nodes = new TreeSet<>();
        client.frames().stream().filter(f -> !f.has("type")).forEach(f -> nodes.add(f.path("node").asText()));
        return nodes;
    }

    private Set<Long> storedSeqs(String node) {
        Set<Long> seqs = new TreeSet<>();
        TsdbRows.query(tsdb.getHttpUrl(), "SELECT seq FROM reading WHERE node = '" + node + "'")
                .forEach(row -> seqs.add(((Number) row.get("seq")).longValue()));
        return seqs;
    }

    private boolean allStored(String node, long upTo) {
        Set<Long> seqs = storedSeqs(node);
        for (long seq = 1; seq <= upTo; seq++) {
            if (!seqs.contains(seq)) {
                return false;
            }
        }
        return true;
    }

    private void awaitStored(StreamingNode node, long upTo, Duration within) {
        try {
            await().atMost(within).until(() -> allStored(node.name, upTo));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Set<Long> seqs = storedSeqs(node.name);
            List<Long> missing = new ArrayList<>();
            for (long seq = 1; seq <= upTo && missing.size() < 40; seq++) {
                if (!seqs.contains(seq)) {
                    missing.add(seq);
                }
            }
            throw new AssertionError(node.name + ": of 1.." + upTo + " missing " + missing + "; " + node.stats(), e);
        }
    }

    private Map<String, Long> alarmEvents(String node) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        TsdbRows.query(tsdb.getHttpUrl(), "SELECT event, count() n FROM alarm WHERE node = '" + node + "'")
                .forEach(row -> counts.put((String) row.get("event"), ((Number) row.get("n")).longValue()));
        return counts;
    }

    @Test
    void threeReplicasActAsOneServerWhileOneIsKilledAndComesBack() throws Exception {
        for (String replica : List.of("replica-a", "replica-b", "replica-c")) {
            startServer(replica);
        }
        servers.keySet().forEach(this::awaitUp);
        LiveClient liveA = new LiveClient("127.0.0.1", webPorts.get("replica-a"));
        LiveClient liveB = new LiveClient("127.0.0.1", webPorts.get("replica-b"));
        toClose.add(liveA);
        toClose.add(liveB);

        Map<String, StreamingNode> nodes = new LinkedHashMap<>();
        for (String name : NODES) {
            StreamingNode node = new StreamingNode(broker.url(), dir.resolve("journal-" + name), SITE, name, RESEND_AFTER_MILLIS);
            toClose.add(node);
            nodes.put(name, node.stream(PERIOD_MILLIS));
        }
        StreamingNode alarmed = nodes.get("scale-1");
        StreamingNode acknowledged = nodes.get("scale-2");
        // the replicas' subscriptions run (the API answers a little before them)
        servers.keySet().forEach(this::awaitShowingEveryNode);

        // an alarm raised while all three run ...
        alarmed.value(HIGH);
        for (String replica : servers.keySet()) {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> activeAlarm(replica, "scale-1") != null);
        }

        // ... one replica killed in the middle of it: its share goes to the others
        Process killed = servers.get("replica-c");
        killed.destroyForcibly();   // SIGKILL
        assertTrue(killed.waitFor(10, TimeUnit.SECONDS));
        long killedAt = System.nanoTime();
        Map<String, Long> publishedAtKill = new HashMap<>();
        nodes.forEach((name, node) -> publishedAtKill.put(name, node.published()));

        // ... and cleared while it is away
        alarmed.value(NORMAL);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> activeAlarm("replica-a", "scale-1") == null);

        // what was published before the kill is stored within the nodes' re-send time (and some slack)
        for (String name : NODES) {
            awaitStored(nodes.get(name), publishedAtKill.get(name), Duration.ofMillis(RESEND_AFTER_MILLIS + 20_000));
        }
        long takeOverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        System.out.println("ScaleOutIT: the dead replica's share was stored by the others within " + takeOverMillis + " ms");

        // the killed replica comes back: same client id and data folder (its saved alarm state is out of date)
        startServer("replica-c");
        awaitUp("replica-c");
        LiveClient liveC = new LiveClient("127.0.0.1", webPorts.get("replica-c"));
        toClose.add(liveC);
        awaitShowingEveryNode("replica-c");
        // the alarm cleared while it was away: taken from the broker's retained state, not cleared a second time
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> activeAlarm("replica-c", "scale-1") == null);

        // an alarm raised now, acknowledged on replica A: acknowledged on B and C
        acknowledged.value(HIGH);
        for (String replica : servers.keySet()) {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> activeAlarm(replica, "scale-2") != null);
        }
        long id = activeAlarm("replica-a", "scale-2").path("id").asLong();
        HttpResponse<String> ack = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + webPorts.get("replica-a") + "/api/alarms/" + id + "/ack"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ack.statusCode(), ack.body());
        for (String replica : List.of("replica-b", "replica-c")) {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                JsonNode alarm = activeAlarm(replica, "scale-2");
                assertEquals(id, alarm.path("id").asLong(), replica + ": the same alarm");
                assertTrue(alarm.path("acknowledged").asBoolean(), replica + " knows of the acknowledgement");
            });
        }

        // every replica's live page shows every node
        for (LiveClient live : List.of(liveA, liveB, liveC)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> nodesSeenBy(live).containsAll(NODES));
        }

        Map<String, Long> published = new HashMap<>();
        nodes.forEach((name, node) -> published.put(name, node.stop()));

        for (String name : NODES) {
            long count = published.get(name);
            awaitStored(nodes.get(name), count, Duration.ofSeconds(60));
            Map<String, Object> rows = TsdbRows.query(tsdb.getHttpUrl(), "SELECT count() n, count_distinct(seq) d, "
                    + "min(seq) lo, max(seq) hi FROM reading WHERE node = '" + name + "'").get(0);
            assertEquals(Map.of("n", count, "d", count, "lo", 1L, "hi", count),
                    Map.of("n", ((Number) rows.get("n")).longValue(), "d", ((Number) rows.get("d")).longValue(),
                            "lo", ((Number) rows.get("lo")).longValue(), "hi", ((Number) rows.get("hi")).longValue()),
                    name + ": published = stored, every seq once");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertEquals(0, nodes.get(name).stats().backlog(), name + ": everything acknowledged"));
        }

        // every replica lists every node, complete; all three stored a share
        long storedHere = 0;
        for (String replica : servers.keySet()) {
            for (String name : NODES) {
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                    JsonNode node = nodeOn(replica, name);
                    JsonNode completeness = node.path("completeness").deepCopy();
                    ((com.fasterxml.jackson.databind.node.ObjectNode) completeness).set("missing", node.path("missing"));
                    assertEquals(published.get(name), completeness.path("lastSeq").asLong(), replica + "/" + name);
                    assertEquals(0, completeness.path("gaps").asLong(), replica + "/" + name + ": no gap " + completeness);
                    assertEquals(0, completeness.path("resets").asLong(), replica + "/" + name + ": no reset " + completeness);
                });
            }
            long here = StreamSupport.stream(get(replica, "/api/nodes").spliterator(), false)
                    .mapToLong(n -> n.path("storedHere").asLong()).sum();
            assertTrue(here > 0, replica + " stored a share");
            storedHere += here;
        }
        assertTrue(storedHere >= published.values().stream().mapToLong(Long::longValue).sum() - publishedAtKill.values()
                .stream().mapToLong(Long::longValue).sum(), "the replicas running now stored at least what came after the kill");

        // the alarm raised and cleared across the kill: one raise and one clear; the other raised and acknowledged
        assertEquals(Map.of("CLEARED", 1L, "RAISED", 1L), alarmEvents("scale-1"), TsdbRows.query(tsdb.getHttpUrl(),
                "SELECT * FROM alarm").toString());
        assertEquals(Map.of("ACKNOWLEDGED", 1L, "RAISED", 1L), alarmEvents("scale-2"));
        assertEquals(Map.of(), alarmEvents("scale-3"));
    }
}
