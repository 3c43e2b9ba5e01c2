package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.server.DeadLetters;
import io.iiotroutes.mqtt.PacketSize;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile (or badly broken) node next to two good ones. While the good nodes stream, the third sends
 * well-formed but extreme messages (sequence jumps to 2^50 and Long.MAX_VALUE, counter resets, equal timestamps,
 * random jumps, gaps beyond the gap-range limit), floods new channel names, new units and, to make any leak show
 * on the heap, 300,000 more channel names; it sends an invalid status and one stamped 1970, and floods new node
 * names. Every reading of the good nodes is stored and reaches the live page within a bound; while the attack runs
 * the API answers within 1 s with a bounded size and health says the pipeline flows; the heap stays bounded, the
 * TSDB's series stay within the limits, and the excess is dead-lettered with the limit it broke.
 */
class HostileNodeIT {

    private static final String SITE = "it";
    private static final int CHANNEL_CAP = 50;
    private static final int NODES_PER_SITE_CAP = 20;
    private static final int GAP_RANGE_CAP = 100;
    private static final int FLOOD_MESSAGES = 100;
    private static final int FLOOD_CHANNELS_PER_MESSAGE = 10;
    /** Messages that each bring every admitted channel of the node with a new unit. */
    private static final int UNIT_FLOOD = 50;
    /** Messages of {@link #HEAP_FLOOD_CHANNELS} new channel names of 64 characters each (about 61 KB each). */
    private static final int HEAP_FLOOD = 600;
    private static final int HEAP_FLOOD_CHANNELS = 500;
    private static final int NODE_FLOOD = 200;
    /** Flood messages that fit beside the node's first channel (ai1) before the cap refuses the rest. */
    private static final int ADMITTED_FLOOD_MESSAGES = (CHANNEL_CAP - 1) / FLOOD_CHANNELS_PER_MESSAGE;
    /** Source to live page for a good node's reading while the hostile node runs (generous for a loaded 2-core CI). */
    private static final Duration LATENCY_BOUND = Duration.ofSeconds(3);
    /**
     * Heap growth after a full GC, attack against baseline. The attack carries 300,000 distinct channel names (and
     * 2,050 new units, 180 node names): kept as channels by the catalog they would take about 170 MB (measured:
     * ~590 bytes per admitted name, ~800 with its latest value), so a leak of them cannot stay under this bound.
     */
    private static final long HEAP_GROWTH_BOUND = 64L << 20;
    /** What the API may take to answer, and how big its answer may be, while the attack runs. */
    private static final long API_MILLIS_BOUND = 1000;
    private static final int API_CHARS_BOUND = 100_000;
    /** Messages the hostile node may send ahead of the server ({@link Pace}). */
    private static final int AHEAD = 20;

    private final JsonMessageCodec codec = new JsonMessageCodec();
    private final ObjectMapper json = new ObjectMapper();
    /** When each part of the attack began (epoch ms), to tell in a failure what the server was busy with. */
    private final ConcurrentSkipListMap<Long, String> phases = new ConcurrentSkipListMap<>();
    @TempDir
    Path dataDir;
    private IiotApplication app;
    private int brokerPort;
    private int webPort;
    private String tsdbUrl;

    @BeforeEach
    void startServer() throws Exception {
        TestServer server = TestServer.of(Mode.SERVER, dataDir).anonymousPublishers()
                .with("iiot.server.nodes", "")
                .with("iiot.web.live.max-rate-hz", "0")
                .with("iiot.server.limits.max-unconfigured-channels-per-node", Integer.toString(CHANNEL_CAP))
                .with("iiot.server.limits.max-unconfigured-nodes-per-site", Integer.toString(NODES_PER_SITE_CAP))
                .with("iiot.server.limits.max-gap-ranges-per-node", Integer.toString(GAP_RANGE_CAP));
        brokerPort = server.brokerPort();
        webPort = server.webPort();
        app = server.start();
        tsdbUrl = app.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
    }

    @AfterEach
    void stopServer() throws Exception {
        app.stop();
    }

    /** A raw node: publishes with QoS 1 and waits for the PUBACK, remembering when each good message went out. */
    private final class Node implements AutoCloseable {
        final String site;
        final String name;
        final MqttClient client;
        final Map<Long, Long> publishedAt = new ConcurrentHashMap<>();

        Node(String site, String name) throws Exception {
            this.site = site;
            this.name = name;
            client = new MqttClient("tcp://127.0.0.1:" + brokerPort, "it-" + site + "-" + name, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setConnectionTimeout(5);
            client.connect(options);
        }

        void send(long seq, long ts, List<Reading> readings) throws Exception {
            send(site, name, seq, ts, readings);
        }

        /** Publishes for any node: an anonymous client may, and the topic must match the payload, not the client. */
        void send(String site, String node, long seq, long ts, List<Reading> readings) throws Exception {
            NodeMessage message = NodeMessage.live(site, node, seq, ts, readings);
            publishedAt.put(seq, System.currentTimeMillis());
            client.publish(TopicContract.dataTopic(site, node), codec.encode(message), 1, false);
        }

        void status(String payload) throws Exception {
            client.publish(TopicContract.ROOT + "/" + site + "/" + name + "/status", payload.getBytes(StandardCharsets.UTF_8), 1, false);
        }

        /** Publishes seq 1..count, one every periodMillis, each stamped with the time it is sent. */
        CompletableFuture<Long> stream(long count, long periodMillis, ScheduledExecutorService timer) {
            return streamUntil(() -> false, count, periodMillis, timer);
        }

        /**
         * Publishes seq 1, 2, ... one every periodMillis, each stamped with the time it is sent, until {@code stop}
         * says so (or count are sent); completes with how many were sent.
         */
        CompletableFuture<Long> streamUntil(BooleanSupplier stop, long count, long periodMillis,
                                            ScheduledExecutorService timer) {
            CompletableFuture<Long> done = new CompletableFuture<>();
            AtomicLong next = new AtomicLong(1);
            AtomicLong lastTs = new AtomicLong();
            ScheduledFuture<?> task = timer.scheduleAtFixedRate(() -> {
                if (done.isDone()) {
                    return;
                }
                long seq = next.getAndIncrement();
                if (seq > count || stop.getAsBoolean()) {
                    done.complete(seq - 1);
                    return;
                }
                try {
                    // a fixed-rate timer catches up after a stall and can fire twice in one millisecond; one channel's
                    // two readings with the same source time are the same point (the TSDB keeps one), so keep ts rising
                    long ts = lastTs.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
                    send(seq, ts, List.of(Reading.good("ai1", seq, "bar", seq)));
                } catch (Exception e) {
                    done.completeExceptionally(e);
                }
            }, 0, periodMillis, TimeUnit.MILLISECONDS);
            return done.whenComplete((ok, error) -> task.cancel(false));
        }

        @Override
        public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }

    /**
     * Asks the API and health while the attack runs: the slowest answer, the largest, and any health that was not UP.
     * Liveness goes first in each round: the first request of a round also pays for the idle client waking up (up to
     * several hundred ms on a loaded 2-core machine, whatever the path), which is not the API's time.
     */
    private final class Probe {
        final Map<String, Long> slowest = new ConcurrentHashMap<>();
        final Map<String, Integer> largest = new ConcurrentHashMap<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final AtomicLong rounds = new AtomicLong();

        void round() {
            for (String path : List.of("/observe/health/live", "/api/nodes", "/api/channels", "/observe/health", "/observe/health/ready")) {
                long start = System.nanoTime();
                Http.Response response;
                try {
                    response = Http.get("http://127.0.0.1:" + webPort + path);
                } catch (IllegalStateException e) {
                    failures.add(path + ": " + e.getMessage());
                    continue;
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                slowest.merge(path, millis, Math::max);
                largest.merge(path, response.body().length(), Math::max);
                if (response.status() != 200 || path.equals("/observe/health")
                        && !response.body().contains("\"name\":\"ingest\",\"status\":\"UP\"")) {
                    failures.add(path + " " + response.status() + ": " + response.body());
                }
            }
            rounds.incrementAndGet();
        }
    }

    private static List<Reading> channels(String prefix, int from, int count) {
        return channels(prefix, from, count, "bar");
    }

    private static List<Reading> channels(String prefix, int from, int count, String unit) {
        List<Reading> readings = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            readings.add(Reading.good(prefix + i, i, unit, null));
        }
        return readings;
    }

    private static long heapAfterFullGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    void aHostileNodeCannotStallFloodOrBlindTheServer() throws Exception {
        long heapBefore = heapAfterFullGc();
        ExecutorService threads = Executors.newFixedThreadPool(1);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        ScheduledExecutorService probing = Executors.newSingleThreadScheduledExecutor();
        Map<String, Long> liveAt = new ConcurrentHashMap<>();
        Probe probe = new Probe();
        try (LiveClient live = new LiveClient("127.0.0.1", webPort); Node good1 = new Node(SITE, "good-1");
             Node good2 = new Node(SITE, "good-2"); Node hostile = new Node(SITE, "hostile-1")) {
            // the good nodes stream for as long as the hostile node sends, the API and health are asked meanwhile
            AtomicBoolean attacking = new AtomicBoolean(true);
            List<CompletableFuture<Long>> goodStreams = List.of(good1.streamUntil(() -> !attacking.get(), Long.MAX_VALUE, 15, timer),
                    good2.streamUntil(() -> !attacking.get(), Long.MAX_VALUE, 15, timer));
            ScheduledFuture<?> asking = probing.scheduleWithFixedDelay(probe::round, 0, 200, TimeUnit.MILLISECONDS);
            CompletableFuture<Void> attack = CompletableFuture.runAsync(() -> {
                try {
                    attack(hostile, new Pace(live));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads).whenComplete((ok, error) -> {
                attacking.set(false);
                asking.cancel(false);
                phases.put(System.currentTimeMillis(), "the end of the attack");
            });
            attack.get(240, TimeUnit.SECONDS);
            Map<String, Long> sent = Map.of("good-1", goodStreams.get(0).get(30, TimeUnit.SECONDS),
                    "good-2", goodStreams.get(1).get(30, TimeUnit.SECONDS));
            // the last readings sent may still be on their way
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<JsonNode> frames = live.frames();
                List<Long> arrivals = live.receivedAt();
                for (int i = 0; i < Math.min(frames.size(), arrivals.size()); i++) {
                    if (frames.get(i).has("seq")) {
                        liveAt.putIfAbsent(frames.get(i).get("node").asText() + "/" + frames.get(i).get("seq").asLong(), arrivals.get(i));
                    }
                }
                assertEquals(sent.get("good-1") + sent.get("good-2"), liveAt.keySet().stream().filter(k -> k.startsWith("good-")).count(),
                        "every good reading was sent live");
            });

            // every reading of the good nodes is stored, and each reached the live page within the bound
            for (String good : List.of("good-1", "good-2")) {
                int count = sent.get(good).intValue();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(
                        Map.of("n", count, "lo", 1, "hi", count), TsdbRows.query(tsdbUrl,
                                "SELECT count_distinct(seq) n, min(seq) lo, max(seq) hi FROM reading WHERE node = '" + good + "'").get(0)));
            }
            long worst = 0;
            long worstSentAt = 0;
            for (Node good : List.of(good1, good2)) {
                for (Map.Entry<Long, Long> published : good.publishedAt.entrySet()) {
                    long latency = liveAt.get(good.name + "/" + published.getKey()) - published.getValue();
                    if (latency > worst) {
                        worst = latency;
                        worstSentAt = published.getValue();
                    }
                }
            }
            Map.Entry<Long, String> phase = phases.floorEntry(worstSentAt);
            String during = phase == null ? "before the attack" : phase.getValue() + " (" + (worstSentAt - phase.getKey())
                    + " ms after it began)";
            System.out.println("HostileNodeIT: slowest good reading to the live page " + worst + " ms, sent during " + during
                    + "; API while attacked: " + probe.rounds + " rounds, slowest " + probe.slowest + " ms, largest "
                    + probe.largest + " chars; phases " + phases);
            assertTrue(worst < LATENCY_BOUND.toMillis(), "slowest good reading took " + worst + " ms to the live page, sent"
                    + " during " + during);
        } finally {
            timer.shutdownNow();
            threads.shutdownNow();
            probing.shutdownNow();
        }

        // while the attack ran, the API answered in time with a bounded size and health said the pipeline flows
        assertTrue(probe.rounds.get() >= 10, probe.rounds + " rounds of questions during the attack");
        assertEquals(List.of(), probe.failures, "health or API not OK during the attack");
        for (String path : List.of("/api/nodes", "/api/channels")) {
            assertTrue(probe.slowest.get(path) <= API_MILLIS_BOUND, path + " took " + probe.slowest.get(path) + " ms");
            assertTrue(probe.largest.get(path) < API_CHARS_BOUND, path + " was " + probe.largest.get(path) + " chars");
        }

        // the hostile node's excess is dead-lettered with the limit it broke, and its series stay within the cap
        int refusedChannels = FLOOD_MESSAGES - ADMITTED_FLOOD_MESSAGES + UNIT_FLOOD + HEAP_FLOOD;
        int refusedNodes = NODE_FLOOD - NODES_PER_SITE_CAP;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode pipeline = json.readTree(Http.get("http://127.0.0.1:" + webPort + "/api/pipeline").body());
            assertEquals(refusedChannels, pipeline.get("limits").get("max-unconfigured-channels-per-node").get("refused").asInt(),
                    pipeline.toString());
            assertEquals(refusedNodes, pipeline.get("limits").get("max-unconfigured-nodes-per-site").get("refused").asInt(),
                    pipeline.toString());
            assertEquals(refusedChannels + refusedNodes, pipeline.get("deadLettersByStage").get("limit").asInt(), pipeline.toString());
            assertEquals(1, pipeline.get("deadLettersByStage").get("validation").asInt(), "the invalid status: " + pipeline);
            assertEquals(refusedChannels + refusedNodes, deadLetters("stage = 'limit'"));
        });
        assertEquals(refusedChannels, deadLetters("node = 'hostile-1' AND reason LIKE 'limit iiot.server.limits.max-unconfigured-channels-per-node ("
                + CHANNEL_CAP + ") reached%'"));
        assertEquals(UNIT_FLOOD, deadLetters("node = 'hostile-1' AND reason LIKE '%each unit of a channel counts as one channel%'"));
        assertEquals(refusedNodes, deadLetters("site = 'flood' AND node = '_not-admitted' AND sender LIKE 'flood/n-%'"
                + " AND reason LIKE 'limit iiot.server.limits.max-unconfigured-nodes-per-site (" + NODES_PER_SITE_CAP + ") reached%'"));
        assertEquals(1, deadLetters("stage = 'validation' AND node = 'hostile-1' AND reason LIKE 'status ''state'' must be%'"),
                "the invalid status is a dead letter");
        assertEquals(refusedChannels + refusedNodes + 1, deadLetters("size >= 0"),
                "nothing else was refused: the extreme-but-valid messages are not");
        // series: the refused names and units made none, in the readings or in the dead letters
        Map<String, Object> series = TsdbRows.query(tsdbUrl, "SELECT count() n, count_distinct(unit) units FROM "
                + "(SELECT DISTINCT channel, unit FROM reading WHERE node = 'hostile-1')").get(0);
        assertTrue(((Number) series.get("n")).intValue() <= CHANNEL_CAP, series + " series of the hostile node");
        assertEquals(2, ((Number) series.get("units")).intValue(), "bar, and the one unit change that fit: " + series);
        Object deadLetterNodes = TsdbRows.query(tsdbUrl, "SELECT count_distinct(node) n FROM deadletter").get(0).get("n");
        assertEquals(2, ((Number) deadLetterNodes).intValue(), "hostile-1 and " + DeadLetters.NOT_ADMITTED);
        // the status stamped 1970 was recorded as it arrived: no day partition from its ts
        assertEquals(0L, ((Number) TsdbRows.query(tsdbUrl, "SELECT count() n FROM node_status WHERE timestamp < '2020-01-01'")
                .get(0).get("n")).longValue());
        assertEquals(1L, ((Number) TsdbRows.query(tsdbUrl, "SELECT count() n FROM node_status WHERE node = 'hostile-1'")
                .get(0).get("n")).longValue());
        String metrics = Http.get("http://127.0.0.1:" + webPort + "/observe/metrics").body();
        assertEquals(Optional.of((double) refusedChannels), Http.sample(metrics,
                "iiot_limit_refusals_total{limit=\"max-unconfigured-channels-per-node\"}"), "metric per limit");

        // the gaps beyond the gap-range limit were forgotten (still counted as gaps), and that is counted too
        JsonNode gapLimit = json.readTree(Http.get("http://127.0.0.1:" + webPort + "/api/pipeline").body())
                .get("limits").get("max-gap-ranges-per-node");
        assertTrue(gapLimit.get("forgotten").asLong() >= 50, gapLimit.toString());
        assertEquals(Optional.of(gapLimit.get("forgotten").asDouble()), Http.sample(metrics,
                "iiot_limit_refusals_total{limit=\"max-gap-ranges-per-node\"}"), "metric of the gap-range limit");

        // after the attack, too
        for (String path : List.of("/api/nodes", "/api/channels")) {
            long start = System.nanoTime();
            Http.Response response = Http.get("http://127.0.0.1:" + webPort + path);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, response.status(), path);
            assertTrue(millis < API_MILLIS_BOUND, path + " took " + millis + " ms");
            assertTrue(response.body().length() < API_CHARS_BOUND, path + " is " + response.body().length() + " chars");
        }
        JsonNode nodes = json.readTree(Http.get("http://127.0.0.1:" + webPort + "/api/nodes").body());
        assertEquals(3 + NODES_PER_SITE_CAP, nodes.size(), nodes.toString());
        Http.Response health = Http.get("http://127.0.0.1:" + webPort + "/observe/health");
        assertEquals(200, health.status(), health.body());
        assertTrue(health.body().contains("\"name\":\"ingest\",\"status\":\"UP\""), health.body());

        long heapGrowth = heapAfterFullGc() - heapBefore;
        System.out.println("HostileNodeIT: heap growth after a full GC " + (heapGrowth >> 20) + " MB");
        assertTrue(heapGrowth < HEAP_GROWTH_BOUND, "heap grew by " + (heapGrowth >> 20) + " MB after a full GC");
    }
    @Test
    void aPacketLargerThanThePayloadLimitAllowsIsRefusedByTheBrokerBeforeTheServerReadsIt() throws Exception {
        int maxPayload = 65536;   // iiot.server.max-payload-bytes
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
        try (Node good = new Node(SITE, "good-1")) {
            CompletableFuture<Long> stream = good.stream(100, 15, timer);
            RawMqtt.Closed giant;
            try (RawMqtt client = new RawMqtt(brokerPort, "it-giant")) {
                try {
                    client.publish(TopicContract.dataTopic(SITE, "giant"), new byte[PacketSize.forPayload(maxPayload) + 1]);
                    giant = client.awaitClose(Duration.ofSeconds(10));
                } catch (IOException e) {
                    giant = new RawMqtt.Closed(true, null);   // closed while the packet was still being written
                }
            }
            assertTrue(giant.closed(), "the broker kept the connection of a client that sent a packet over the limit");
            assertTrue(giant.disconnectReason() == null || giant.disconnectReason() == 0x95, "reason " + giant.disconnectReason());
            // one over the payload limit but within the packet limit still reaches the server: dead-lettered, its size named
            try (RawMqtt client = new RawMqtt(brokerPort, "it-big")) {
                client.publish(TopicContract.dataTopic(SITE, "big"), new byte[maxPayload + 1]);
                assertFalse(client.awaitClose(Duration.ofSeconds(1)).closed(), "a packet within the limit is taken");
            }
            stream.get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(100L, TsdbRows.count(tsdbUrl,
                    "node = 'good-1'"), "the others' data is stored meanwhile"));
            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters("reason = 'payload of " + (maxPayload + 1)
                    + " bytes is over the limit of " + maxPayload + "'") == 1);
            assertEquals(1, deadLetters("size > 0"), "the packet over the limit never reached the server");
        } finally {
            timer.shutdownNow();
        }
    }

    /**
     * The hostile node's messages: extreme but well-formed, gaps beyond the gap-range limit, then floods of new
     * channel names, units and (for the heap) long channel names, an invalid status and one stamped 1970, and a flood
     * of node names. Its source times keep rising, so that a lower number is a restarted counter, not a redelivery.
     */
    private void attack(Node hostile, Pace pace) throws Exception {
        long now = System.currentTimeMillis();
        List<Reading> one = List.of(Reading.good("ai1", 1.0, "bar", null));
        phases.put(System.currentTimeMillis(), "extreme sequence numbers");
        hostile.send(1, now, one);
        hostile.send(1L << 50, now + 1, one);                  // a corrupted counter
        hostile.send(Long.MAX_VALUE, now + 2, one);            // the largest seq there is
        hostile.send(0, now + 3, one);                         // restarted counter
        pace.stored(4);
        for (int i = 1; i <= 50; i++) {
            hostile.send(i, now + 4, one);                     // 50 messages in the same source millisecond
            pace.stored(i == 1 ? 1 : 0, 1);                    // stored, the live page shows the first of them
        }
        Random random = new Random(42);
        for (int i = 0; i < 100; i++) {
            hostile.send(Math.abs(random.nextLong()), now + 5 + i, one);   // a counter that jumps anywhere
            pace.stored(1);
        }
        // restarted again, then every other number missing: 150 gaps, 50 of them beyond the gap-range limit
        phases.put(System.currentTimeMillis(), "gaps beyond the gap-range limit");
        hostile.send(0, now + 150, one);
        for (int seq = 2; seq <= 300; seq += 2) {
            hostile.send(seq, now + 150 + seq, one);
            pace.stored(1);
        }
        phases.put(System.currentTimeMillis(), "channel flood");
        long ts = now + 500;
        for (int m = 0; m < FLOOD_MESSAGES; m++) {
            hostile.send(1_000 + m, ts++, channels("serial-", m * FLOOD_CHANNELS_PER_MESSAGE, FLOOD_CHANNELS_PER_MESSAGE));
            if (m < ADMITTED_FLOOD_MESSAGES) {
                pace.stored(1);
            } else {
                pace.refused(1);
            }
        }
        // every channel the node was allowed, in one message: known channels pass whatever the cap
        List<Reading> all = new ArrayList<>(one);
        all.addAll(channels("serial-", 0, ADMITTED_FLOOD_MESSAGES * FLOOD_CHANNELS_PER_MESSAGE));
        hostile.send(2_000, ts++, all);
        // a unit change of one channel fits within the cap (one more series); a new unit for all of them, again and
        // again, does not
        phases.put(System.currentTimeMillis(), "unit flood");
        hostile.send(2_001, ts++, List.of(Reading.good("ai1", 1.0, "mbar", null)));
        pace.stored(2);
        long seq = 2_002;
        for (int m = 0; m < UNIT_FLOOD; m++) {
            List<Reading> units = new ArrayList<>(List.of(Reading.good("ai1", 1.0, "u" + m, null)));
            units.addAll(channels("serial-", 0, ADMITTED_FLOOD_MESSAGES * FLOOD_CHANNELS_PER_MESSAGE, "u" + m));
            hostile.send(seq++, ts++, units);
            pace.refused(1);
        }
        // enough names that keeping them would show on the heap: 300,000 of 64 characters
        phases.put(System.currentTimeMillis(), "heap flood");
        for (int m = 0; m < HEAP_FLOOD; m++) {
            List<Reading> names = new ArrayList<>(HEAP_FLOOD_CHANNELS);
            for (int i = 0; i < HEAP_FLOOD_CHANNELS; i++) {
                String name = "leak-" + m + "-" + i + "-";
                names.add(Reading.good(name + "z".repeat(64 - name.length()), i, "bar", null));
            }
            hostile.send(seq++, ts++, names);
            pace.refused(1);
        }
        phases.put(System.currentTimeMillis(), "status");
        hostile.status("{\"state\":\"sleeping\",\"ts\":" + ts + "}");   // not a status: a dead letter
        hostile.status("{\"state\":\"online\",\"ts\":0}");              // 1970: recorded as it arrives
        phases.put(System.currentTimeMillis(), "node flood");
        for (int n = 0; n < NODE_FLOOD; n++) {
            hostile.send("flood", "n-" + n, 1, now, one);
            if (n >= NODES_PER_SITE_CAP) {
                pace.refused(1);
            }
        }
    }

    /**
     * Holds the hostile node to the pace of the server: at most {@value #AHEAD} of its messages ahead of what the
     * server has shown live (stored) or dead-lettered. A message that cost the server unbounded work (the bug this
     * test is for) still stalls everything behind it; what the pace takes out is only the backlog of a node sending
     * faster than a loaded 2-core machine stores or dead-letters (a few milliseconds per dead letter: each is written
     * to the TSDB and the dead-letter topic on its own), which would delay the good nodes by that backlog.
     */
    private final class Pace {
        private final LiveClient live;
        private long stored;
        private long refused;
        private long sent;

        Pace(LiveClient live) {
            this.live = live;
        }

        void stored(int messages) {
            stored(messages, messages);
        }

        /** Messages stored of which {@code shown} are on the live page (one reading per channel and source ms). */
        void stored(int shown, int messages) {
            stored += shown;
            sent(messages);
        }

        void refused(int messages) {
            refused += messages;
            sent(messages);
        }

        private void sent(int messages) {
            long before = sent;
            sent += messages;
            if (sent / 10 == before / 10) {
                return;
            }
            long storedSent = stored;
            long refusedSent = refused;
            await("the server to come within " + AHEAD + " of " + storedSent + " stored and " + refusedSent + " refused")
                    .atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> {
                long shown = live.frames().stream().filter(f -> "hostile-1".equals(f.path("node").asText())).count();
                if (shown < storedSent - AHEAD) {
                    return false;
                }
                if (refusedSent <= AHEAD) {
                    return true;
                }
                JsonNode limit = json.readTree(Http.get("http://127.0.0.1:" + webPort + "/api/pipeline").body())
                        .get("deadLettersByStage").get("limit");   // null before the first refusal
                return limit != null && limit.asLong() >= refusedSent - AHEAD;
            });
        }
    }

    private long deadLetters(String where) {
        try {
            return ((Number) TsdbRows.query(tsdbUrl, "SELECT count() c FROM deadletter WHERE " + where).get(0).get("c")).longValue();
        } catch (IllegalStateException e) {
            return 0;   // no table yet
        }
    }
}
