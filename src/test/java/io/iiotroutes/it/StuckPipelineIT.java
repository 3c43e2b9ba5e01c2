package io.iiotroutes.it;

import io.iiotroutes.broker.BrokerSettings;
import io.iiotroutes.broker.EmbeddedMqttBroker;
import io.iiotroutes.tsdb.EmbeddedQuestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server against a TSDB that takes writes and then trickles its answer a byte at a time, so a write
 * never finishes: the pipeline is stuck. The health check {@code ingest} turns DOWN and says for how
 * long; SIGTERM still ends the process within camel.main.shutdownTimeout plus the grace period; and nothing was
 * acknowledged that was not stored: a server started afterwards against a real TSDB stores every message.
 */
class StuckPipelineIT {

    private static final int COUNT = 20;
    private static final int SHUTDOWN_TIMEOUT_S = 5;
    private static final int GRACE_S = 3;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private EmbeddedMqttBroker broker;
    private TricklingServer stuckTsdb;
    private EmbeddedQuestDb tsdb;
    private Process server;
    private int webPort;

    @BeforeEach
    void start() throws IOException {
        broker = new EmbeddedMqttBroker(dir.resolve("broker"), new BrokerSettings("127.0.0.1", TestPorts.free(), false, 100_000, 65_535));
        broker.start();
        stuckTsdb = new TricklingServer();
        webPort = TestPorts.free();
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.destroyForcibly();
        }
        stuckTsdb.close();
        if (tsdb != null) {
            tsdb.stop();
        }
        broker.stop();
    }

    private Process startServer(String name, String tsdbUrl, String... more) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("server",
                "--iiot.mqtt.url=" + broker.getUrl(),
                "--iiot.tsdb.url=" + tsdbUrl,
                "--iiot.server.require-services=false",
                "--iiot.web.port=" + webPort,
                "--iiot.data.dir=" + dir.resolve("server"),
                "--iiot.server.health.stall-seconds=3",
                "--iiot.server.health.ping-timeout-seconds=1",
                "--camel.main.shutdownTimeout=" + SHUTDOWN_TIMEOUT_S,
                "--iiot.shutdown.grace-seconds=" + GRACE_S));
        args.addAll(List.of(more));
        return TestProcesses.startJar(dir.resolve(name + ".log"), List.of(), args.toArray(String[]::new));
    }

    private String health() {
        return Http.get("http://127.0.0.1:" + webPort + "/observe/health").body();
    }

    @Test
    void aStuckPipelineIsReportedAndSigtermStillStopsTheServerInTime() throws Exception {
        server = startServer("server-stuck", stuckTsdb.url());
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> health().contains("\"name\":\"mqtt-broker\",\"status\":\"UP\""));
        try (StreamPublisher node = new StreamPublisher(broker.getUrl(), "it", "stuck-1")) {
            node.start(COUNT, 20);
            assertEquals(COUNT, node.awaitDone(30));
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String report = health();
            assertTrue(report.matches("(?s).*\"name\":\"ingest\",\"status\":\"DOWN\",\"message\":\"stalled: \\d+ message\\(s\\) in flight,"
                    + " none stored for \\d+ s.*"), report);
        });
        // the TSDB answers its ping, so nothing explains the stall: liveness says restart
        Http.Response live = Http.get("http://127.0.0.1:" + webPort + "/observe/health/live");
        assertEquals(503, live.status(), live.body());
        assertTrue(live.body().contains("\"name\":\"ingest\",\"status\":\"DOWN\""), live.body());

        long start = System.nanoTime();
        server.destroy();   // SIGTERM
        boolean exited = server.waitFor(SHUTDOWN_TIMEOUT_S + GRACE_S + 5, TimeUnit.SECONDS);
        long seconds = (System.nanoTime() - start) / 1_000_000_000;
        String log = Files.readString(dir.resolve("server-stuck.log"));
        assertTrue(exited, "still running " + seconds + " s after SIGTERM; log in " + dir);
        assertTrue(log.contains("shutdown did not finish within " + (SHUTDOWN_TIMEOUT_S + GRACE_S) + " s"),
                "the watchdog ended a shutdown that hung; log in " + dir);

        // nothing unstored was acknowledged: the broker gives the session's messages to the next start
        tsdb = new EmbeddedQuestDb(dir.resolve("tsdb"), "127.0.0.1", 0, 0);
        tsdb.start();
        tsdb.executeScript("questdb/schema.sql");
        server = startServer("server-restarted", tsdb.getHttpUrl());
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertEquals(COUNT, TsdbRows.count(tsdb.getHttpUrl(), "node = 'stuck-1'"), "stored rows; logs in " + dir));
    }

    /**
     * A TSDB that answers its ping (204) and everything else with 404 (QuestDB answers the client's org look-up so),
     * but takes a write and never finishes answering it: the status line and then one header byte every half second,
     * so a client reading the answer neither completes nor times out on reads.
     */
    static final class TricklingServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final ScheduledExecutorService trickle = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "trickling-tsdb");
            t.setDaemon(true);
            return t;
        });

        TricklingServer() throws IOException {
            Thread acceptor = new Thread(this::accept, "trickling-tsdb-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    trickle.execute(() -> answer(client));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void answer(Socket client) {
            try {
                InputStream in = client.getInputStream();
                OutputStream out = client.getOutputStream();
                StringBuilder head = new StringBuilder();
                while (head.indexOf("\r\n\r\n") < 0) {   // the request head, up to the blank line
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    head.append((char) b);
                }
                if (!head.toString().contains("/write")) {
                    String status = head.toString().contains(" /ping") ? "204 No Content" : "404 Not Found";
                    out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    client.close();
                    return;
                }
                out.write("HTTP/1.1 204 No Content\r\nX-Trickle: ".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                trickle.scheduleAtFixedRate(() -> {
                    try {
                        out.write('x');
                        out.flush();
                    } catch (IOException e) {
                        throw new IllegalStateException("client gone", e);   // ends this connection's schedule
                    }
                }, 500, 500, TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                // client gone
            }
        }

        @Override
        public void close() throws IOException {
            trickle.shutdownNow();
            socket.close();
        }
    }
}
