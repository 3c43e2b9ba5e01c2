package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.broker.BrokerSettings;
import io.iiotroutes.broker.EmbeddedMqttBroker;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.edge.forward.PublisherSettings;
import io.iiotroutes.edge.forward.PublisherStats;
import io.iiotroutes.edge.forward.StoreAndForwardPublisher;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.server.NodeMonitor;
import io.iiotroutes.tsdb.EmbeddedQuestDb;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End-to-end acknowledged delivery (docs/delivery.md): a node forgets a message only when the server has stored
 * it, so zero loss no longer depends on what the broker keeps. Brokers that forget everything on restart (embedded
 * HiveMQ without persistence, Mosquitto with {@code persistence false}) are restarted twice while the TSDB is down
 * and the server cannot store; a server that comes back without any broker session; two replicas on a shared
 * subscription across a broker restart; an edge process killed with SIGKILL while its messages wait for their
 * acknowledgement. Each time every published seq is stored once, and the nodes' journals end empty.
 */
class EndToEndDeliveryIT {

    private static final String SITE = "e2e";
    private static final int COUNT = 600;
    private static final long PERIOD_MILLIS = 20;
    /** Short, so the tests need not wait the default 30 s for a re-send. */
    private static final long RESEND_AFTER_MILLIS = 3_000;

    @TempDir
    Path dir;
    private EmbeddedQuestDb tsdb;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startTsdb() throws Exception {
        // a fixed HTTP port: the TSDB is stopped and started again, and the server must find it where it was
        tsdb = new EmbeddedQuestDb(dir.resolve("tsdb"), "127.0.0.1", TestPorts.free(), 0);
        tsdb.start();
        tsdb.executeScript("questdb/schema.sql");   // the production table: a point written twice is one row
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        tsdb.stop();
    }

    /** A node of our own: publisher with server acknowledgements, seq 1..COUNT, one every PERIOD_MILLIS. */
    private final class Node implements AutoCloseable {
        final String name;
        final StoreAndForwardPublisher publisher;
        final AtomicLong published = new AtomicLong();
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final long start = System.currentTimeMillis();

        Node(String brokerUrl, String name) throws IOException {
            this.name = name;
            publisher = new StoreAndForwardPublisher(PublisherSettings.of(brokerUrl, "e2e-" + name, SITE, name,
                    dir.resolve("journal-" + name)).withTimeouts(5, 5).withConfirmation(
                    io.iiotroutes.edge.forward.Confirmation.SERVER, RESEND_AFTER_MILLIS), new JsonMessageCodec());
            publisher.start();
            toClose.add(this);
        }

        Node stream() {
            timer.scheduleAtFixedRate(() -> {
                long seq = published.get() + 1;
                if (seq <= COUNT) {
                    publisher.publish(NodeMessage.live(SITE, name, seq, start + seq,
                            List.of(Reading.good("ai1", seq, "bar", seq))));
                    published.set(seq);
                }
            }, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
            return this;
        }

        boolean done() {
            return published.get() >= COUNT;
        }

        @Override
        public void close() {
            timer.shutdownNow();
            publisher.close();
        }
    }

    private long stored(String node) {
        return TsdbRows.count(tsdb.getHttpUrl(), "node = '" + node + "'");
    }

    /** Every seq 1..COUNT of the node is stored exactly once, and its journal has forgotten them all. */
    private void assertAllStoredOnce(Node node) {
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> stored(node.name) >= COUNT);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(node.name + ": stored " + stored(node.name) + " of " + COUNT + "; missing "
                    + missing(node.name, COUNT) + "; publisher " + node.publisher.stats(), e);
        }
        Map<String, Object> seqs = TsdbRows.query(tsdb.getHttpUrl(), "SELECT count() n, count_distinct(seq) d, min(seq) lo, "
                + "max(seq) hi FROM reading WHERE node = '" + node.name + "'").get(0);
        assertEquals(Map.of("n", COUNT, "d", COUNT, "lo", 1, "hi", COUNT), seqs, node.name + ": every seq once, no duplicate row");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PublisherStats stats = node.publisher.stats();
            assertEquals(0, stats.backlog(), "everything stored was acknowledged: " + stats);
        });
    }

    private Set<Long> missing(String node, long upTo) {
        Set<Long> seen = new TreeSet<>();
        TsdbRows.query(tsdb.getHttpUrl(), "SELECT seq FROM reading WHERE node = '" + node + "'")
                .forEach(row -> seen.add(((Number) row.get("seq")).longValue()));
        Set<Long> missing = new TreeSet<>();
        for (long seq = 1; seq <= upTo && missing.size() < 50; seq++) {
            if (!seen.contains(seq)) {
                missing.add(seq);
            }
        }
        return missing;
    }

    private IiotApplication startServer(String brokerUrl, String name, Map<String, String> more) throws Exception {
        TestServer server = TestServer.of(Mode.SERVER, dir.resolve(name))
                .with("iiot.mqtt.url", brokerUrl)
                .with("iiot.tsdb.url", tsdb.getHttpUrl())
                .with("iiot.server.client-id", name);
        more.forEach(server::with);
        IiotApplication app = server.start();
        toClose.add(app::stop);
        return app;
    }

    private static long gapsOf(IiotApplication server, String node) {
        return server.context().getRegistry().lookupByNameAndType("nodeMonitor", NodeMonitor.class).nodes().stream()
                .filter(n -> n.node().equals(node)).findFirst().orElseThrow().completeness().gaps();
    }

    /**
     * The TSDB goes down, so what the server receives waits, unacknowledged, in the broker's queue for it; the
     * broker restarts twice and forgets it all. The nodes send again what the server has not acknowledged.
     */
    private void restartTwiceWhileTheTsdbIsDown(String brokerUrl, Runnable restartBroker) throws Exception {
        IiotApplication server = startServer(brokerUrl, "e2e-server", Map.of());
        Node a = new Node(brokerUrl, "forget-a").stream();
        Node b = new Node(brokerUrl, "forget-b").stream();
        await().atMost(Duration.ofSeconds(30)).until(() -> stored("forget-a") >= 50 && stored("forget-b") >= 50);

        tsdb.stop();
        long before = a.published.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.published.get() >= Math.min(COUNT, before + 50));
        restartBroker.run();
        long between = a.published.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> a.publisher.isConnected()
                && a.published.get() >= Math.min(COUNT, between + 50));
        restartBroker.run();
        tsdb.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> a.done() && b.done());
        assertAllStoredOnce(a);
        assertAllStoredOnce(b);
        assertTrue(a.publisher.stats().resent() > 0, "what the broker forgot was sent again: " + a.publisher.stats());
        await().atMost(Duration.ofSeconds(10)).until(() -> gapsOf(server, "forget-a") == 0 && gapsOf(server, "forget-b") == 0);
    }

    @Test
    void anEmbeddedHiveMqWithoutPersistenceRestartsTwiceWhileTheTsdbIsDown() throws Exception {
        EmbeddedMqttBroker broker = new EmbeddedMqttBroker(dir.resolve("hivemq"),
                new BrokerSettings("127.0.0.1", TestPorts.free(), false, 100_000, 65_535));
        broker.start();
        toClose.add(broker::stop);

        restartTwiceWhileTheTsdbIsDown(broker.getUrl(), () -> {
            broker.stop();
            broker.start();
        });
    }

    @Test
    void aMosquittoWithoutPersistenceRestartsTwiceWhileTheTsdbIsDown() throws Exception {
        MosquittoBroker.requireInstalled();
        MosquittoBroker mosquitto = MosquittoBroker.forgetful(Path.of("target", "mosquitto-e2e-" + System.currentTimeMillis()),
                TestPorts.free());
        mosquitto.start();
        toClose.add(mosquitto);

        restartTwiceWhileTheTsdbIsDown(mosquitto.url(), () -> {
            mosquitto.stop();
            try {
                mosquitto.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void aServerThatComesBackWithoutAnyBrokerSessionLosesNothing() throws Exception {
        EmbeddedMqttBroker broker = new EmbeddedMqttBroker(dir.resolve("hivemq"),
                new BrokerSettings("127.0.0.1", TestPorts.free(), true, 100_000, 65_535));
        broker.start();
        toClose.add(broker::stop);
        // session expiry 0: the broker keeps nothing for the server while it is away
        Map<String, String> noSession = Map.of("iiot.server.session-expiry-seconds", "0");
        IiotApplication server = startServer(broker.getUrl(), "e2e-clean", noSession);
        Node node = new Node(broker.getUrl(), "clean-1").stream();
        await().atMost(Duration.ofSeconds(30)).until(() -> stored("clean-1") >= 80);

        server.stop();
        long atStop = node.published.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> node.published.get() >= Math.min(COUNT, atStop + 80));
        startServer(broker.getUrl(), "e2e-clean", noSession);

        await().atMost(Duration.ofSeconds(60)).until(node::done);
        assertAllStoredOnce(node);
        assertTrue(node.publisher.stats().resent() > 0, "the messages no session kept were sent again: "
                + node.publisher.stats());
    }

    @Test
    void twoReplicasOnASharedSubscriptionLoseNothingAcrossABrokerRestart() throws Exception {
        MosquittoBroker.requireInstalled();
        MosquittoBroker mosquitto = MosquittoBroker.forgetful(Path.of("target", "mosquitto-e2e-" + System.currentTimeMillis()),
                TestPorts.free());
        mosquitto.start();
        toClose.add(mosquitto);
        List<Process> replicas = new ArrayList<>();
        toClose.add(() -> replicas.forEach(p -> TestProcesses.stopGracefully(p, Duration.ofSeconds(15))));
        for (String name : List.of("e2e-replica-a", "e2e-replica-b")) {
            int webPort = TestPorts.free();
            replicas.add(TestProcesses.startJar(dir.resolve(name + ".log"), List.of("-Xmx256m"), "server",
                    "--iiot.mqtt.url=" + mosquitto.url(),
                    "--iiot.tsdb.url=" + tsdb.getHttpUrl(),
                    "--iiot.server.subscription=$share/e2e-servers/iiot/v1/+/+/data",
                    "--iiot.server.client-id=" + name,
                    "--iiot.web.port=" + webPort,
                    "--iiot.data.dir=" + dir.resolve(name)));
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                    .until(() -> Http.get("http://127.0.0.1:" + webPort + "/observe/health").status() == 200);
        }

        Node a = new Node(mosquitto.url(), "shared-a").stream();
        Node b = new Node(mosquitto.url(), "shared-b").stream();
        await().atMost(Duration.ofSeconds(30)).until(() -> stored("shared-a") >= 100 && stored("shared-b") >= 100);
        mosquitto.stop();
        mosquitto.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> a.done() && b.done());
        assertAllStoredOnce(a);
        assertAllStoredOnce(b);
    }

    @Test
    void anEdgeKilledWhileItsMessagesAwaitTheirAcknowledgementSendsThemAgain() throws Exception {
        EmbeddedMqttBroker broker = new EmbeddedMqttBroker(dir.resolve("hivemq"),
                new BrokerSettings("127.0.0.1", TestPorts.free(), false, 100_000, 65_535));
        broker.start();
        toClose.add(broker::stop);
        startServer(broker.getUrl(), "e2e-kill", Map.of());
        Path nodeFile = dir.resolve("killed-1.yaml");
        Files.writeString(nodeFile, """
                site: e2e
                node: killed-1
                driver: { type: simulated, seed: 3 }
                delivery: { confirmedBy: server, resendAfterS: 3 }
                groups:
                  - name: fast
                    periodMs: 50
                    channels:
                      - id: ai1
                        signal: 0-10V
                        range: [0, 100]
                        unit: "%"
                        simulation: { shape: ramp, min: 0, max: 10, periodS: 5 }
                """);
        // what the broker took from the edge: each of these got its PUBACK, so before acknowledgements the edge
        // had forgotten them
        Set<Long> reachedTheBroker = new ConcurrentSkipListSet<>();
        MqttClient watcher = new MqttClient(broker.getUrl(), "e2e-watcher", new MemoryPersistence());
        watcher.connect(new MqttConnectionOptions());
        toClose.add(watcher::close);
        toClose.add(watcher::disconnect);
        JsonMessageCodec codec = new JsonMessageCodec();
        watcher.subscribe("iiot/v1/e2e/killed-1/data", 1);
        watcher.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) { }
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) { }
            public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) throws Exception {
                reachedTheBroker.add(codec.decode(message.getPayload()).seq());
            }
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) { }
            public void connectComplete(boolean reconnect, String uri) { }
            public void authPacketArrived(int code, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) { }
        });
        List<String> edgeArgs = List.of("edge", "--iiot.mqtt.url=" + broker.getUrl(),
                "--iiot.edge.nodes=" + nodeFile, "--iiot.data.dir=" + dir.resolve("edge"),
                "--iiot.edge.observe-port=" + TestPorts.free());
        Process edge = TestProcesses.startJar(dir.resolve("edge-1.log"), List.of("-Xmx96m"), edgeArgs.toArray(String[]::new));
        toClose.add(() -> edge.destroyForcibly());
        await().atMost(Duration.ofSeconds(60)).until(() -> stored("killed-1") >= 20);

        tsdb.stop();   // from here nothing is acknowledged
        int reachedAtStop = reachedTheBroker.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> reachedTheBroker.size() >= reachedAtStop + 40);
        edge.destroyForcibly().waitFor(10, TimeUnit.SECONDS);   // SIGKILL, mid-stream, nothing acknowledged
        broker.stop();     // and the broker forgets what it queued for the server
        broker.start();
        tsdb.start();
        Process again = TestProcesses.startJar(dir.resolve("edge-2.log"), List.of("-Xmx96m"), edgeArgs.toArray(String[]::new));
        toClose.add(() -> TestProcesses.stopGracefully(again, Duration.ofSeconds(15)));

        Set<Long> mustBeStored = new TreeSet<>(reachedTheBroker);
        long highest = ((TreeSet<Long>) mustBeStored).last();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> missingOf("killed-1", mustBeStored).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not stored: " + missingOf("killed-1", mustBeStored), e);
        }
        // beyond those: a crash may skip one number the counter had saved but never sent; nothing else is missing
        await().atMost(Duration.ofSeconds(30)).until(() -> stored("killed-1") >= highest + 20);
        assertTrue(missing("killed-1", highest + 20).size() <= 1, "missing " + missing("killed-1", highest + 20));
    }

    private Set<Long> missingOf(String node, Set<Long> expected) {
        Set<Long> seen = new TreeSet<>();
        TsdbRows.query(tsdb.getHttpUrl(), "SELECT seq FROM reading WHERE node = '" + node + "'")
                .forEach(row -> seen.add(((Number) row.get("seq")).longValue()));
        Set<Long> missing = new TreeSet<>(expected);
        missing.removeAll(seen);
        return missing;
    }
}
