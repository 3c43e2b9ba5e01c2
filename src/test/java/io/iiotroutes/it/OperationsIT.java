package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.tsdb.EmbeddedQuestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator watches, on the real server with its real broker and an external QuestDB: the health endpoint
 * across a TSDB outage, Prometheus metrics moving under load, and the routes' MBeans over authenticated remote JMX.
 */
class OperationsIT {

    private static final String JMX_USER = "monitor";
    private static final String JMX_PASSWORD = "jmx-secret-for-tests";

    @TempDir
    static Path dir;
    private static EmbeddedQuestDb tsdb;
    private static IiotApplication app;
    private static int brokerPort;
    private static int webPort;
    private static int jmxPort;

    @BeforeAll
    static void start() throws Exception {
        tsdb = new EmbeddedQuestDb(dir.resolve("tsdb"), "127.0.0.1", TestPorts.free(), 0);
        tsdb.start();
        tsdb.executeScript("questdb/schema.sql");
        jmxPort = TestPorts.free();
        TestServer server = TestServer.of(Mode.SERVER, dir.resolve("server")).anonymousPublishers()
                .with("iiot.tsdb.url", tsdb.getHttpUrl())
                .with("iiot.server.retry-max-delay-ms", "1000")
                .with("iiot.jmx.remote.enabled", "true")
                .with("iiot.jmx.remote.port", Integer.toString(jmxPort))
                .with("iiot.jmx.remote.password", JMX_PASSWORD);
        brokerPort = server.brokerPort();
        webPort = server.webPort();
        app = server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        app.stop();
        tsdb.stop();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + webPort + path;
    }

    @Test
    void healthGoesDownWhileTheTsdbIsStoppedAndUpWhenItIsBack() {
        await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(url("/observe/health")).status() == 200);
        Http.Response up = Http.get(url("/observe/health/ready"));
        assertTrue(up.body().contains("\"status\":\"UP\""), up.body());
        assertTrue(up.body().contains("\"name\":\"tsdb\",\"status\":\"UP\""), up.body());
        assertTrue(up.body().contains("\"name\":\"mqtt-broker\",\"status\":\"UP\""), up.body());

        tsdb.stop();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(url("/observe/health")).status() == 503);
            Http.Response down = Http.get(url("/observe/health/ready"));
            assertEquals(503, down.status());
            assertTrue(down.body().contains("\"name\":\"tsdb\",\"status\":\"DOWN\""), down.body());
            // the process is alive and must not be restarted for this: liveness stays UP
            assertEquals(200, Http.get(url("/observe/health/live")).status());
        } finally {
            tsdb.start();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(url("/observe/health")).status() == 200);
    }

    @Test
    void metricsArePresentAndMoveUnderLoad() throws Exception {
        String before = Http.get(url("/observe/metrics")).body();
        for (String name : new String[]{"iiot_tsdb_write_seconds_count", "iiot_tsdb_write_points_sum",
                "iiot_tsdb_write_failures_total", "iiot_dead_letters_total", "iiot_websocket_clients"}) {
            assertTrue(Http.sample(before, name).isPresent(), name + " in\n" + before);
        }
        double writesBefore = Http.sample(before, "iiot_tsdb_write_seconds_count").orElseThrow();
        double pointsWrittenBefore = Http.sample(before, "iiot_tsdb_write_points_sum").orElseThrow();
        try (LiveClient browser = new LiveClient("127.0.0.1", webPort);
             StreamPublisher node = new StreamPublisher("tcp://127.0.0.1:" + brokerPort, "it", "metrics-1")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Http.sample(Http.get(url("/observe/metrics")).body(),
                    "iiot_websocket_clients").orElse(0.0) == 1.0);
            node.start(200, 10);
            assertEquals(200, node.awaitDone(60));
            await().atMost(Duration.ofSeconds(30)).until(() -> TsdbRows.count(tsdb.getHttpUrl(), "node = 'metrics-1'") == 200);
        }
        String after = Http.get(url("/observe/metrics")).body();
        assertTrue(Http.sample(after, "iiot_messages_received_total{node=\"metrics-1\",site=\"it\"}").orElseThrow() >= 200, after);
        assertTrue(Http.sample(after, "iiot_points_stored_total{node=\"metrics-1\",site=\"it\"}").orElseThrow() >= 200, after);
        assertEquals(0.0, Http.sample(after, "iiot_sequence_gaps{node=\"metrics-1\",site=\"it\"}").orElseThrow());
        // writes are batched: several messages may share one write, so count points, not requests
        assertTrue(Http.sample(after, "iiot_tsdb_write_seconds_count").orElseThrow() > writesBefore, after);
        assertTrue(Http.sample(after, "iiot_tsdb_write_points_sum").orElseThrow() >= pointsWrittenBefore + 200, after);
        assertTrue(Http.sample(after, "iiot_tsdb_write_points_max").orElseThrow() >= 1.0, after);
        assertTrue(after.contains("camel_exchanges_total{camelContext=\"iiot-server\",eventType=\"route\",kind=\"CamelRoute\",routeId=\"server-ingest-receive\"}"),
                "Camel's per-route meters");
        assertFalse(after.contains("routeId=\"server-ingest-store\""), "sub-routes in iiot.metrics.unmetered-routes have no meters");
        await().atMost(Duration.ofSeconds(10)).until(() -> Http.sample(Http.get(url("/observe/metrics")).body(),
                "iiot_websocket_clients").orElse(-1.0) == 0.0);
    }

    @Test
    void routeMBeansAreReadableOverAuthenticatedRemoteJmx() throws Exception {
        JMXServiceURL service = new JMXServiceURL(
                "service:jmx:rmi://127.0.0.1:" + jmxPort + "/jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
        try (StreamPublisher node = new StreamPublisher("tcp://127.0.0.1:" + brokerPort, "it", "jmx-1")) {
            node.start(20, 20);
            assertEquals(20, node.awaitDone(30));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> TsdbRows.count(tsdb.getHttpUrl(), "node = 'jmx-1'") == 20);

        try (JMXConnector jmx = JMXConnectorFactory.connect(service,
                Map.of(JMXConnector.CREDENTIALS, new String[]{JMX_USER, JMX_PASSWORD}))) {
            MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
            ObjectName ingest = new ObjectName("org.apache.camel:context=iiot-server,type=routes,name=\"server-ingest-receive\"");
            assertEquals("Started", mbeans.getAttribute(ingest, "State"));
            assertTrue((Long) mbeans.getAttribute(ingest, "ExchangesCompleted") >= 20);
            assertEquals(0L, mbeans.getAttribute(ingest, "ExchangesInflight"));
            ObjectName context = new ObjectName("org.apache.camel:context=iiot-server,type=context,name=\"iiot-server\"");
            assertEquals("Started", mbeans.getAttribute(context, "State"));
        }
        assertThrows(SecurityException.class, () -> JMXConnectorFactory.connect(service,
                Map.of(JMXConnector.CREDENTIALS, new String[]{JMX_USER, "wrong"})).close());
        assertThrows(SecurityException.class, () -> JMXConnectorFactory.connect(service).close());
    }
}
