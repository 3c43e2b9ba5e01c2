package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.broker.BrokerSettings;
import io.iiotroutes.broker.EmbeddedMqttBroker;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.edge.forward.Confirmation;
import io.iiotroutes.edge.forward.PublisherSettings;
import io.iiotroutes.edge.forward.PublisherStats;
import io.iiotroutes.edge.forward.StoreAndForwardPublisher;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * The performance benchmark (docs/performance.md): not a test, run by {@code .ci/bench} ({@code mvn -Pbench}).
 * <p>
 * For each broker (embedded HiveMQ CE, Debian's Mosquitto) and each system (our server as a subprocess, Node-RED
 * with node-red-contrib-influxdb as the peer), it drives a bounded open-loop load through the broker into the same
 * InfluxDB 1.x (Debian influxd) and steps the rate up: N simulated nodes publish C-channel messages with QoS 1
 * through the real edge publisher ({@link StoreAndForwardPublisher}) at fixed intended times, and the source
 * timestamp of each message is its intended send time (so a stalled pipeline shows as latency, not as a slower
 * load). Per step it measures, only from what it can verify:
 * <ul>
 *   <li>stored points, counted per node in the TSDB: a step passes only when every published point is stored
 *       (published = stored, zero gaps) and the last one is visible within {@code bench.max-lag-ms} after the
 *       last publish (the system kept up, rather than draining a backlog);</li>
 *   <li>source → WebSocket frame latency (every frame of the step, a WebSocket client on the system's /ws);</li>
 *   <li>source → TSDB-visible latency (one node's last stored seq polled every {@code bench.poll-ms});</li>
 *   <li>CPU seconds of the system's process per million points ({@code /proc/<pid>/stat}) and its peak RSS
 *       ({@code VmHWM}).</li>
 * </ul>
 * Then a real edge process (edge mode, simulated nodes) publishes for a while to give the edge's peak RSS, and
 * {@code mosquitto_pub}/{@code mosquitto_sub} measure each broker's own QoS 1 ceiling on loopback.
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final Path dir = Path.of(property("bench.dir", "target/bench")).toAbsolutePath();
    private final List<String> brokers = list("bench.brokers", "hivemq,mosquitto");
    /**
     * "ours": publishers forget a message on the broker's PUBACK, as Node-RED's load does; "ours-acked": the same
     * server, with publishers that keep each message until the server acknowledges it (the edge's default).
     */
    private final List<String> systems = list("bench.systems", "ours,ours-acked,node-red");
    private final List<Integer> rates = list("bench.rates", "125,250,500,1000,1250,2000,2500,3000,4000,5000,6000,7000,8000").stream().map(Integer::parseInt).toList();
    private final int nodes = intProperty("bench.nodes", 10);
    private final int channels = intProperty("bench.channels", 8);
    private final int seconds = intProperty("bench.seconds", 10);
    private final long maxLagMillis = intProperty("bench.max-lag-ms", 2000);
    private final boolean retryFailedSteps = Boolean.parseBoolean(property("bench.retry-failed-steps", "true"));
    private final int drainSeconds = intProperty("bench.drain-seconds", 20);
    private final long pollMillis = intProperty("bench.poll-ms", 20);
    private final int ceilingMessages = intProperty("bench.ceiling-messages", 50_000);
    private final String serverJvmArgs = property("bench.server-jvm-args", "-Xmx160m -XX:+UseSerialGC");
    private final String edgeJvmArgs = property("bench.edge-jvm-args",
            "-Xmx32m -Xss256k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=24m -XX:MaxMetaspaceSize=96m");
    /** glibc malloc arenas of our JVMs: the default (8 per core) costs tens of MB of RSS for nothing here */
    private final String mallocArenas = property("bench.malloc-arena-max", "2");
    private final Path nodeRedHome = Path.of(property("bench.node-red", "target/bench/node-red")).toAbsolutePath();
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, String> ceilings = new LinkedHashMap<>();
    private final Map<String, String> edgeRows = new LinkedHashMap<>();
    private final JsonMessageCodec codec = new JsonMessageCodec();
    private InfluxDb1 influx;

    public static void main(String[] args) throws Exception {
        new Benchmark().run();
        System.exit(0);   // HiveMQ and Paho leave non-daemon threads behind
    }

    /** A -Dbench.* option; empty counts as unset (the Maven profile passes every option, empty when not given). */
    private static String property(String name, String defaults) {
        String value = System.getProperty(name, "").trim();
        return value.isEmpty() ? defaults : value;
    }

    private static int intProperty(String name, int defaults) {
        return Integer.parseInt(property(name, Integer.toString(defaults)));
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private static List<String> list(String property, String defaults) {
        return Arrays.stream(property(property, defaults).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private void run() throws Exception {
        Files.createDirectories(dir);
        String started = Instant.now().toString();
        log("benchmark started " + started + " in " + dir + ": " + nodes + " nodes x " + channels + " channels, "
                + seconds + " s per step, rates (messages/s) " + rates);
        influx = new InfluxDb1(fresh(dir.resolve("influxdb"))).start();
        try {
            for (String broker : brokers) {
                try (Broker b = startBroker(broker)) {
                    for (String system : systems) {
                        runSystem(system, broker, b);
                    }
                    if (broker.equals(brokers.get(brokers.size() - 1))) {
                        edgeRows.putAll(measureEdge(b.url()));
                    }
                    ceilings.put(broker, brokerCeiling(b.port));
                }
            }
        } finally {
            influx.stop();
        }
        String report = report(started);
        System.out.println(report);
        Files.writeString(dir.resolve("results.md"), report);
    }

    // ---------------------------------------------------------------- brokers

    private final class Broker implements AutoCloseable {
        final int port = TestPorts.free();
        EmbeddedMqttBroker hivemq;
        MosquittoBroker mosquitto;

        String url() {
            return "tcp://127.0.0.1:" + port;
        }

        /** The broker's own process; HiveMQ runs inside the benchmark's JVM, next to the load generator. */
        long pid() {
            return mosquitto != null ? mosquitto.pid() : -1;
        }

        @Override
        public void close() {
            if (hivemq != null) {
                hivemq.stop();
            }
            if (mosquitto != null) {
                mosquitto.stop();
            }
        }
    }

    private Broker startBroker(String name) throws IOException {
        Broker broker = new Broker();
        Path root = fresh(dir.resolve("broker-" + name));
        switch (name) {
            case "hivemq" -> {
                broker.hivemq = new EmbeddedMqttBroker(root, new BrokerSettings("127.0.0.1", broker.port, false, 100_000, 65_535));
                broker.hivemq.start();
            }
            case "mosquitto" -> {
                broker.mosquitto = new MosquittoBroker(root, broker.port, "allow_anonymous true\n", "error warning");
                broker.mosquitto.start();
            }
            default -> throw new IllegalArgumentException("unknown broker " + name);
        }
        log("broker " + name + " on " + broker.url());
        return broker;
    }

    // ---------------------------------------------------------------- systems under test

    /** A running system: its process, WebSocket URL and TSDB database. */
    private record System_(String name, Process process, String wsUrl, String database) {
    }

    private void runSystem(String system, String broker, Broker brokerProcess) throws Exception {
        String brokerUrl = brokerProcess.url();
        if (system.equals("none")) {
            return;   // broker ceiling and edge only
        }
        String database = (system + "_" + broker).replace('-', '_');
        influx.createDatabase(database);
        int webPort = TestPorts.free();
        Path work = fresh(dir.resolve(system + "-" + broker));
        Process process = switch (system) {
            case "ours", "ours-acked" -> startOurs(work, brokerUrl, database, webPort, broker);
            case "node-red" -> startNodeRed(work, brokerUrl, database, webPort);
            default -> throw new IllegalArgumentException("unknown system " + system);
        };
        System_ running = new System_(system, process, "ws://127.0.0.1:" + webPort + "/ws", database);
        try {
            for (int rate : rates) {
                Step step = runStep(running, broker, brokerProcess, rate, 1);
                log(step.line());
                keepMetrics(system, webPort, work.resolve("metrics-after-" + rate + ".txt"));
                if (!step.passed() && retryFailedSteps) {
                    // the machine is shared: a step that fails is run once more before it ends the ramp, and both
                    // attempts are reported
                    steps.add(step);
                    step = runStep(running, broker, brokerProcess, rate, 2);
                    log("again: " + step.line());
                }
                steps.add(step);
                if (!step.passed()) {
                    break;   // the first rate it cannot sustain ends its ramp
                }
            }
        } finally {
            TestProcesses.stopGracefully(process, Duration.ofSeconds(20));
        }
    }

    private Process startOurs(Path work, String brokerUrl, String database, int webPort, String broker) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(words(serverJvmArgs));
        command.addAll(List.of("-jar", "target/iiot-routes.jar", "server",
                "--iiot.mqtt.url=" + brokerUrl,
                "--iiot.tsdb.api=v1",
                "--iiot.tsdb.url=" + influx.url(),
                "--iiot.tsdb.database=" + database,
                "--iiot.server.client-id=bench-server-" + broker,
                "--iiot.web.port=" + webPort,
                "--iiot.data.dir=" + work.resolve("data")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("server.log").toFile());
        builder.environment().put("MALLOC_ARENA_MAX", mallocArenas);
        Process process = builder.start();
        awaitUp(process, () -> httpOk("http://127.0.0.1:" + webPort + "/api/nodes"), "our server");
        return process;
    }

    private Process startNodeRed(Path work, String brokerUrl, String database, int webPort) throws Exception {
        Path redJs = nodeRedHome.resolve("node_modules/node-red/red.js");
        if (!Files.exists(redJs)) {
            throw new IllegalStateException("Node-RED is not installed in " + nodeRedHome + " (.ci/bench installs it)");
        }
        URI broker = URI.create(brokerUrl);
        URI tsdb = URI.create(influx.url());
        // MQTT in -> (function -> influxdb out) and -> websocket out: the usual Node-RED ingest flow
        String flow = """
                [
                 {"id":"tab","type":"tab","label":"bench"},
                 {"id":"broker","type":"mqtt-broker","name":"bench","broker":"%s","port":"%d","clientid":"node-red-bench",
                  "autoConnect":true,"usetls":false,"protocolVersion":"5","keepalive":"60","cleansession":true},
                 {"id":"in","type":"mqtt in","z":"tab","name":"readings","topic":"iiot/v1/+/+/data","qos":"1","datatype":"json",
                  "broker":"broker","nl":false,"rap":true,"rh":0,"inputs":0,"wires":[["points","ws"]]},
                 {"id":"points","type":"function","z":"tab","name":"to points","outputs":1,"wires":[["out"]],
                  "func":%s},
                 {"id":"tsdb","type":"influxdb","hostname":"%s","port":"%d","protocol":"http","database":"%s","name":"bench",
                  "usetls":false,"influxdbVersion":"1.x"},
                 {"id":"out","type":"influxdb out","z":"tab","influxdb":"tsdb","name":"store","measurement":"reading",
                  "precision":"ms","retentionPolicy":"","wires":[]},
                 {"id":"listener","type":"websocket-listener","path":"/ws","wholemsg":"false"},
                 {"id":"ws","type":"websocket out","z":"tab","name":"live","server":"listener","client":"","wires":[]}
                ]
                """.formatted(broker.getHost(), broker.getPort(), JSON.writeValueAsString("""
                const m = msg.payload;
                msg.payload = m.readings.map(r => [
                  { value: r.value, raw: r.raw, quality: r.quality, seq: m.seq, historical: m.historical === true, time: m.ts },
                  { site: m.site, node: m.node, channel: r.channel, unit: r.unit }]);
                return msg;
                """), tsdb.getHost(), tsdb.getPort(), database);
        Files.writeString(work.resolve("flows.json"), flow);
        Process process = new ProcessBuilder("node", redJs.toString(), "--userDir", work.toString(), "--port",
                Integer.toString(webPort), work.resolve("flows.json").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("node-red.log").toFile()).start();
        awaitUp(process, () -> Files.readString(work.resolve("node-red.log")).contains("Connected to broker"), "Node-RED");
        return process;
    }

    private static void awaitUp(Process process, java.util.concurrent.Callable<Boolean> ready, String what) {
        await(what + " up").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited");
            }
            return ready.call();
        });
    }

    /** Our server's /observe/metrics after a step (write latency, batch sizes, ...), kept next to its log. */
    private static void keepMetrics(String system, int webPort, Path file) {
        if (!system.startsWith("ours")) {
            return;
        }
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofFile(file));
        } catch (IOException | InterruptedException e) {
            log("metrics not kept: " + e);
        }
    }

    private static boolean httpOk(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    // ---------------------------------------------------------------- one rate step

    /** One step's figures. Rates in messages/s; points = messages x channels. */
    record Step(String system, String broker, int rate, int channels, long expectedPoints, long publishedMessages,
                long storedPoints, long gaps, double achievedPointsPerSecond, long lagMillis, double[] wsMillis,
                long wsFrames, double[] tsdbMillis, double cpuSecondsPerMillion, long peakRssKb, long maxLagMillis,
                String loadAverage, double offeredSeconds, double maxOfferedSeconds, CpuWindow.Shares cpu) {

        /** The load generator published the step's messages in time: the rate was really offered. */
        boolean offered() {
            return offeredSeconds <= maxOfferedSeconds;
        }

        boolean lossless() {
            return storedPoints == expectedPoints && gaps == 0;
        }

        boolean passed() {
            return offered() && lossless() && lagMillis >= 0 && lagMillis <= maxLagMillis;
        }

        String line() {
            return String.format(Locale.ROOT, "%-8s %-9s %5d msg/s %7d pts/s  offered in %.1f s  stored %d/%d gaps %d lag %d ms  "
                            + "ws p50/p99/p99.9 %s (%d frames)  tsdb %s  cpu %.1f s/Mpts  cores %s  peak RSS %d MB  load %s  %s",
                    system, broker, rate, rate * channels, offeredSeconds, storedPoints, expectedPoints, gaps, lagMillis,
                    ms(wsMillis), wsFrames, ms(tsdbMillis), cpuSecondsPerMillion, cpu, peakRssKb / 1024, loadAverage,
                    passed() ? "PASS" : offered() ? "FAIL" : "FAIL (load generator behind)");
        }
    }

    private Step runStep(System_ system, String broker, Broker brokerProcess, int rate, int attempt) throws Exception {
        String brokerUrl = brokerProcess.url();
        String site = "b" + rate + (attempt > 1 ? "-" + attempt : "");   // a site of its own: counts start at zero
        int perNode = rate * seconds / nodes;
        long periodNanos = 1_000_000_000L * nodes / rate;
        if (periodNanos < 1_000_000) {
            throw new IllegalArgumentException("more than 1,000 messages/s per node: source timestamps (ms) would collide");
        }
        Path journals = fresh(dir.resolve("journal-" + system.name() + "-" + broker + "-" + site));
        List<StoreAndForwardPublisher> publishers = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            StoreAndForwardPublisher p = new StoreAndForwardPublisher(PublisherSettings.of(brokerUrl,
                    "bench-" + site + "-" + node(n), site, node(n), journals.resolve(node(n)))
                    .withConfirmation(system.name().equals("ours-acked") ? Confirmation.SERVER : Confirmation.BROKER,
                            PublisherSettings.DEFAULT_RESEND_AFTER_MILLIS), codec);
            p.start();
            publishers.add(p);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> publishers.stream().allMatch(StoreAndForwardPublisher::isConnected));

        ConcurrentLinkedQueue<Long> wsLatencies = new ConcurrentLinkedQueue<>();
        WebSocket socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(system.wsUrl()), new LatencyListener(site, wsLatencies))
                .get(10, TimeUnit.SECONDS);

        long t0 = System.currentTimeMillis() + 500;
        CpuWindow cpuWindow = CpuWindow.start(system.process().pid(), brokerProcess.pid(), influx.pid(), ProcessHandle.current().pid());
        ScheduledExecutorService load = Executors.newScheduledThreadPool(nodes);
        List<ScheduledFuture<?>> tasks = new ArrayList<>();
        AtomicLong sent = new AtomicLong();
        for (int n = 1; n <= nodes; n++) {
            StoreAndForwardPublisher publisher = publishers.get(n - 1);
            String node = node(n);
            long offsetNanos = periodNanos * (n - 1) / nodes;   // nodes spread over the period, not in lock-step
            AtomicLong seq = new AtomicLong();
            long firstNanos = (t0 - System.currentTimeMillis()) * 1_000_000L + offsetNanos;
            tasks.add(load.scheduleAtFixedRate(() -> {
                long s = seq.incrementAndGet();
                if (s > perNode) {
                    return;
                }
                publisher.publish(message(site, node, s, sourceTime(t0, offsetNanos, periodNanos, s)));
                sent.incrementAndGet();
            }, firstNanos, periodNanos, TimeUnit.NANOSECONDS));
        }

        // source -> TSDB-visible: the newest stored seq of node 1, polled
        ConcurrentLinkedQueue<Long> tsdbLatencies = new ConcurrentLinkedQueue<>();
        long endOfLoad = t0 + seconds * 1000L;
        AtomicLong visibleSeq = new AtomicLong();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        poller.scheduleWithFixedDelay(() -> {
            try {
                List<Map<String, Object>> rows = influx.rows(system.database(),
                        "SELECT last(seq) FROM reading WHERE site = '" + site + "' AND node = '" + node(1) + "'");
                if (rows.isEmpty()) {
                    return;
                }
                long now = System.currentTimeMillis();
                long last = ((Number) rows.get(0).get("last")).longValue();
                for (long s = visibleSeq.get() + 1; s <= last; s++) {
                    tsdbLatencies.add(now - sourceTime(t0, 0, periodNanos, s));
                }
                visibleSeq.accumulateAndGet(last, Math::max);
            } catch (RuntimeException e) {
                // the TSDB is busy: the next poll catches up
            }
        }, 0, pollMillis, TimeUnit.MILLISECONDS);

        long expectedPoints = (long) perNode * nodes * channels;
        await().atMost(Duration.ofSeconds(seconds + 60L)).pollInterval(Duration.ofMillis(100)).until(() -> sent.get() >= (long) perNode * nodes);
        long lastPublished = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> publishers.stream().allMatch(p -> p.stats().backlog() == 0));
        long storedAt = -1;
        long stored = 0;
        long deadline = System.currentTimeMillis() + drainSeconds * 1000L;
        while (System.currentTimeMillis() < deadline) {
            stored = storedPoints(system.database(), site);
            if (stored >= expectedPoints) {
                storedAt = System.currentTimeMillis();
                break;
            }
            waitMillis(100);
        }
        CpuWindow.Shares cpuShares = cpuWindow.stop();
        tasks.forEach(t -> t.cancel(false));
        load.shutdownNow();
        poller.shutdownNow();
        socket.abort();
        long published = 0;
        for (StoreAndForwardPublisher p : publishers) {
            PublisherStats stats = p.stats();
            published += stats.published() + stats.replayed();
            p.close();
        }
        stored = storedPoints(system.database(), site);
        long gaps = 0;
        for (Map<String, Object> row : influx.rows(system.database(),
                "SELECT count(value) FROM reading WHERE site = '" + site + "' GROUP BY node")) {
            gaps += Math.max(0, (long) perNode * channels - ((Number) row.get("count")).longValue());
        }
        if (influx.rows(system.database(), "SELECT count(value) FROM reading WHERE site = '" + site + "' GROUP BY node").size() < nodes) {
            gaps += (long) perNode * channels;   // a node with nothing stored at all
        }
        double cpuPerMillion = stored == 0 ? Double.NaN : cpuShares.systemCpuSeconds() / (stored / 1e6);
        long lag = storedAt < 0 ? -1 : Math.max(0, storedAt - Math.max(lastPublished, endOfLoad));
        double achieved = storedAt < 0 ? 0 : stored * 1000.0 / Math.max(1, storedAt - t0);
        return new Step(system.name(), broker, rate, channels, expectedPoints, published, stored, gaps, achieved, lag,
                percentiles(wsLatencies), wsLatencies.size(), percentiles(tsdbLatencies), cpuPerMillion,
                peakRssKb(system.process().pid()), maxLagMillis, loadAverage(), (lastPublished - t0) / 1000.0,
                seconds * 1.1 + 0.5, cpuShares);
    }

    private static long sourceTime(long t0, long offsetNanos, long periodNanos, long seq) {
        return t0 + (offsetNanos + periodNanos * (seq - 1)) / 1_000_000L;
    }

    private static String node(int n) {
        return String.format(Locale.ROOT, "n%02d", n);
    }

    private NodeMessage message(String site, String node, long seq, long sourceMillis) {
        List<Reading> readings = new ArrayList<>(channels);
        for (int c = 1; c <= channels; c++) {
            long raw = (seq * 31 + c * 997) % 32768;
            readings.add(Reading.good("ai" + c, raw / 3276.8, "V", raw));
        }
        return NodeMessage.live(site, node, seq, sourceMillis, readings);
    }

    private long storedPoints(String database, String site) {
        List<Map<String, Object>> rows = influx.rows(database, "SELECT count(value) FROM reading WHERE site = '" + site + "'");
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get("count")).longValue();
    }

    /** Every text frame of the step's site: latency from its source timestamp to its arrival here. */
    private static final class LatencyListener implements WebSocket.Listener {
        private final String site;
        private final ConcurrentLinkedQueue<Long> latencies;
        private final StringBuilder partial = new StringBuilder();

        LatencyListener(String site, ConcurrentLinkedQueue<Long> latencies) {
            this.site = site;
            this.latencies = latencies;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.currentTimeMillis();
            partial.append(data);
            if (last) {
                try {
                    JsonNode frame = JSON.readTree(partial.toString());
                    if (site.equals(frame.path("site").asText())) {
                        latencies.add(now - frame.path("ts").asLong());
                    }
                } catch (IOException e) {
                    // not a reading message
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    // ---------------------------------------------------------------- edge process

    /** A real edge process (edge mode, simulated nodes, every sample published) for its peak RSS and CPU. */
    private Map<String, String> measureEdge(String brokerUrl) throws Exception {
        int edgeNodes = intProperty("bench.edge-nodes", 1);   // one node per edge process, as deployed
        int edgePeriodMs = intProperty("bench.edge-period-ms", 10);
        int edgeSeconds = intProperty("bench.edge-seconds", 20);
        Path work = fresh(dir.resolve("edge"));
        List<String> files = new ArrayList<>();
        for (int n = 1; n <= edgeNodes; n++) {
            StringBuilder yaml = new StringBuilder("""
                    site: bench-edge
                    node: e%02d
                    driver: { type: simulated, seed: %d }
                    groups:
                      - name: all
                        periodMs: %d
                        channels:
                    """.formatted(n, n, edgePeriodMs));
            for (int c = 1; c <= channels; c++) {
                yaml.append("""
                              - { id: ai%d, signal: 0-10V, range: [0, 10], unit: V, simulation: { shape: noise, min: 1.0, max: 9.0 } }
                        """.formatted(c));
            }
            Path file = work.resolve("e" + n + ".yaml");
            Files.writeString(file, yaml.toString());
            files.add(file.toString());
        }
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(words(edgeJvmArgs));
        command.addAll(List.of("-jar", "target/iiot-routes.jar", "edge", "--iiot.mqtt.url=" + brokerUrl,
                "--iiot.edge.nodes=" + String.join(",", files), "--iiot.data.dir=" + work.resolve("data")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("edge.log").toFile());
        builder.environment().put("MALLOC_ARENA_MAX", mallocArenas);
        Process edge = builder.start();
        Map<String, String> rows = new LinkedHashMap<>();
        try {
            long startedAt = System.currentTimeMillis();
            long[] before = null;
            long beforeAt = 0;
            while (System.currentTimeMillis() - startedAt < edgeSeconds * 1000L) {
                if (!edge.isAlive()) {
                    throw new IllegalStateException("edge exited, see " + work.resolve("edge.log"));
                }
                if (before == null && System.currentTimeMillis() - startedAt > 5000) {
                    before = cpuTicks(edge.pid());   // after start-up
                    beforeAt = System.currentTimeMillis();
                }
                waitMillis(250);
            }
            long[] after = cpuTicks(edge.pid());
            double cpuShare = ((after[0] + after[1]) - (before[0] + before[1])) / (double) CLOCK_TICKS_PER_SECOND
                    / ((System.currentTimeMillis() - beforeAt) / 1000.0);
            rows.put("edge load", edgeNodes + " nodes x " + channels + " channels every " + edgePeriodMs + " ms = "
                    + (edgeNodes * channels * 1000 / edgePeriodMs) + " points/s offered");
            rows.put("edge peak RSS", peakRssKb(edge.pid()) / 1024 + " MB (JVM args " + edgeJvmArgs + ")");
            rows.put("edge CPU", String.format(Locale.ROOT, "%.0f %% of one core", cpuShare * 100));
        } finally {
            TestProcesses.stopGracefully(edge, Duration.ofSeconds(20));
        }
        return rows;
    }

    // ---------------------------------------------------------------- broker ceiling

    /** mosquitto_sub + mosquitto_pub -l, QoS 1, our message size, on loopback: the broker's own limit. */
    private String brokerCeiling(int port) throws Exception {
        Path work = fresh(dir.resolve("ceiling-" + port));
        String payload = new String(codec.encode(message("ceiling", "n01", 1, System.currentTimeMillis())), java.nio.charset.StandardCharsets.UTF_8);
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1",
                "-t", "bench/ceiling", "-C", Integer.toString(ceilingMessages), "-i", "bench-ceiling-sub")
                .redirectErrorStream(true).redirectOutput(work.resolve("sub.out").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).until(sub::isAlive);
        waitMillis(500);   // let the subscription settle before the first publish
        long start = System.nanoTime();
        // -l publishes each stdin line; stdin stays open until the subscriber has everything, because
        // mosquitto_pub drops what it has not sent yet when its input ends
        Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1",
                "-t", "bench/ceiling", "-l", "-i", "bench-ceiling-pub")
                .redirectErrorStream(true).redirectOutput(work.resolve("pub.out").toFile()).start();
        Thread feeder = new Thread(() -> {
            try {
                byte[] line = (payload + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                for (int i = 0; i < ceilingMessages; i++) {
                    pub.getOutputStream().write(line);
                }
                pub.getOutputStream().flush();
            } catch (IOException e) {
                // the publisher died: the subscriber's count shows it
            }
        }, "bench-ceiling-feeder");
        feeder.start();
        boolean done = sub.waitFor(120, TimeUnit.SECONDS);
        double secondsTaken = (System.nanoTime() - start) / 1e9;
        pub.getOutputStream().close();
        pub.waitFor(30, TimeUnit.SECONDS);
        sub.destroyForcibly();
        pub.destroyForcibly();
        long received = Files.lines(work.resolve("sub.out")).count();
        return done
                ? String.format(Locale.ROOT, "%,.0f msg/s = %,.0f points/s (%d messages of %d bytes, QoS 1)", received / secondsTaken,
                received * channels / secondsTaken, received, payload.length())
                : "did not finish: " + received + " of " + ceilingMessages + " received in 120 s";
    }

    // ---------------------------------------------------------------- report

    private String report(String started) {
        StringBuilder out = new StringBuilder();
        out.append("\n## Benchmark run ").append(started).append("\n\n");
        out.append(String.format(Locale.ROOT, "Load: %d nodes x %d channels per message, QoS 1, %d s per step, open loop; "
                + "TSDB InfluxDB 1.x (Debian influxd); our server JVM args `%s`, MALLOC_ARENA_MAX=%s; %d cores; "
                + "load average at each step's end in the table (other work on the machine counts too).%n%n",
                nodes, channels, seconds, serverJvmArgs, mallocArenas, Runtime.getRuntime().availableProcessors()));
        out.append("### Every step\n\n");
        out.append("| system | broker | msg/s | points/s offered | load offered in (s) | stored / published points | lag after load (ms) | achieved points/s "
                + "| source→WebSocket p50 / p99 / p99.9 (ms) | source→TSDB p50 / p99 / p99.9 (ms) | CPU s per M points "
                + "| CPU cores: system / broker / TSDB / benchmark JVM | peak RSS (MB) | load avg | zero loss & kept up |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Step s : steps) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %.1f | %,d / %,d | %s | %,.0f | %s | %s | %.1f | %s | %d | %s | %s |%n",
                    s.system(), s.broker(), s.rate(), s.rate() * s.channels(), s.offeredSeconds(), s.storedPoints(), s.expectedPoints(),
                    s.lagMillis() < 0 ? "not drained in " + drainSeconds + " s" : Long.toString(s.lagMillis()),
                    s.achievedPointsPerSecond(), ms(s.wsMillis()), ms(s.tsdbMillis()),
                    s.cpuSecondsPerMillion(), s.cpu(), s.peakRssKb() / 1024, s.loadAverage(),
                    s.passed() ? "yes" : s.offered() ? "**no**" : "**no** (load generator behind)"));
        }
        out.append("\n### Summary\n\n");
        out.append("| system | broker | sustained zero-loss points/s | p99 source→WebSocket at 1,000 msg/s (ms) "
                + "| p99 source→TSDB at 1,000 msg/s (ms) | CPU s per M points (at the sustained rate) | peak RSS after the 10,000 points/s step (MB) | peak RSS, whole run (MB) |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        Map<String, Integer> sustained = new LinkedHashMap<>();
        for (String broker : brokers) {
            for (String system : systems) {
                List<Step> mine = steps.stream().filter(s -> s.system().equals(system) && s.broker().equals(broker)).toList();
                Step best = mine.stream().filter(Step::passed).reduce((a, b) -> b).orElse(null);
                Step at1000 = mine.stream().filter(s -> s.rate() == 1000).reduce((a, b) -> b).orElse(null);   // the retry, if any
                long peak = mine.stream().mapToLong(Step::peakRssKb).max().orElse(0) / 1024;
                String peakAt10k = mine.stream().filter(s -> s.rate() * s.channels() == 10_000).reduce((a, b) -> b)
                        .map(s -> Long.toString(s.peakRssKb() / 1024)).orElse("–");
                int rate = best == null ? 0 : best.rate() * best.channels();
                sustained.put(system + "/" + broker, rate);
                out.append(String.format(Locale.ROOT, "| %s | %s | %,d | %s | %s | %s | %s | %d |%n", system, broker, rate,
                        at1000 == null ? "–" : String.format(Locale.ROOT, "%.0f", at1000.wsMillis()[1]),
                        at1000 == null ? "–" : String.format(Locale.ROOT, "%.0f", at1000.tsdbMillis()[1]),
                        best == null ? "–" : String.format(Locale.ROOT, "%.1f", best.cpuSecondsPerMillion()), peakAt10k, peak));
            }
        }
        out.append("\n");
        for (String broker : brokers) {
            Integer ours = sustained.get("ours/" + broker);
            Integer theirs = sustained.get("node-red/" + broker);
            if (ours != null && theirs != null) {
                out.append(String.format(Locale.ROOT, "- %s: ours / Node-RED sustained zero-loss rate = %s%n", broker,
                        theirs == 0 ? "∞ (Node-RED sustained no step)" : String.format(Locale.ROOT, "%.1f×", ours / (double) theirs)));
            }
            Integer acked = sustained.get("ours-acked/" + broker);
            if (ours != null && acked != null) {
                out.append(String.format(Locale.ROOT, "- %s: acknowledgements on / off sustained zero-loss rate = %s%n", broker,
                        ours == 0 ? "–" : String.format(Locale.ROOT, "%.2f×", acked / (double) ours)));
            }
        }
        out.append("\n### Broker ceiling (mosquitto_pub → broker → mosquitto_sub, loopback)\n\n");
        ceilings.forEach((broker, figure) -> out.append("- ").append(broker).append(": ").append(figure).append('\n'));
        if (!edgeRows.isEmpty()) {
            out.append("\n### Edge process\n\n");
            edgeRows.forEach((k, v) -> out.append("- ").append(k).append(": ").append(v).append('\n'));
        }
        return out.toString();
    }

    private static double[] percentiles(ConcurrentLinkedQueue<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return new double[]{Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[]{at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999)};
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private static String ms(double[] p) {
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", p[0], p[1], p[2]);
    }

    // ---------------------------------------------------------------- /proc

    /**
     * Where the machine's CPU went during a step, in cores: the system under test, the broker, the TSDB and the
     * benchmark's own JVM (load generator and WebSocket client, plus HiveMQ when it is the broker), and how busy
     * the whole machine was. Shows whether a step was limited by the system or by the machine it shares.
     */
    static final class CpuWindow {
        record Shares(double system, double broker, double tsdb, double bench, double machineBusy, double windowSeconds) {

            /** CPU seconds the system under test used in the window. */
            double systemCpuSeconds() {
                return system * windowSeconds;
            }

            @Override
            public String toString() {
                return String.format(Locale.ROOT, "%.2f / %s / %.2f / %.2f (machine %.0f %% busy)", system,
                        Double.isNaN(broker) ? "in bench" : String.format(Locale.ROOT, "%.2f", broker), tsdb, bench, machineBusy * 100);
            }
        }

        private final long[] pids;
        private final long[] before;
        private final long[] machineBefore;
        private final long startedNanos = System.nanoTime();

        private CpuWindow(long... pids) throws IOException {
            this.pids = pids;
            this.before = new long[pids.length];
            for (int i = 0; i < pids.length; i++) {
                before[i] = ticks(pids[i]);
            }
            this.machineBefore = machineTicks();
        }

        static CpuWindow start(long system, long broker, long tsdb, long bench) throws IOException {
            return new CpuWindow(system, broker, tsdb, bench);
        }

        Shares stop() throws IOException {
            double seconds = (System.nanoTime() - startedNanos) / 1e9;
            double[] cores = new double[pids.length];
            for (int i = 0; i < pids.length; i++) {
                cores[i] = pids[i] < 0 ? Double.NaN : (ticks(pids[i]) - before[i]) / (double) CLOCK_TICKS_PER_SECOND / seconds;
            }
            long[] machine = machineTicks();
            double busy = (machine[0] - machineBefore[0]) / (double) Math.max(1, machine[1] - machineBefore[1]);
            return new Shares(cores[0], cores[1], cores[2], cores[3], busy, seconds);
        }

        private static long ticks(long pid) throws IOException {
            if (pid < 0) {
                return 0;
            }
            long[] t = cpuTicks(pid);
            return t[0] + t[1];
        }

        /** Busy and total ticks of all cores (/proc/stat: idle and iowait count as not busy). */
        private static long[] machineTicks() throws IOException {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[]{total - idle, total};
        }
    }

    /** The machine's 1-minute load average: how busy the 2 cores were (shared machine: other builds count too). */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** utime and stime of a process, in clock ticks. */
    private static long[] cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[]{Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }

    /** Peak resident set size (VmHWM) of a process, in kB. */
    private static long peakRssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- helpers

    private static Path fresh(Path path) throws IOException {
        if (Files.exists(path)) {
            try (var walk = Files.walk(path)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return Files.createDirectories(path);
    }

    /** Paces the benchmark's own loops (not a test wait: there is no condition to wait for). */
    private static void waitMillis(long millis) {
        CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS)).join();
    }

    private static void log(String line) {
        System.out.println("[bench " + Instant.now() + "] " + line);
    }
}
