package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.mqtt.PacketSize;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile (or badly broken) node next to two good ones. While the good nodes stream, the third sends
 * well-formed but extreme messages (sequence jumps to 2^50 and Long.MAX_VALUE, counter resets, equal timestamps,
 * random jumps, as many readings as its channel limit allows) and floods new channel names; a fourth client floods
 * new node names. Every reading of the good nodes is stored and reaches the live page within a bound, the API
 * stays fast and small, health stays truthful, the heap stays bounded, and the excess is dead-lettered with the
 * limit it broke.
 */
class HostileNodeIT {

    private static final String SITE = "it";
    private static final int GOOD_COUNT = 300;
    private static final int CHANNEL_CAP = 50;
    private static final int NODES_PER_SITE_CAP = 20;
    private static final int FLOOD_MESSAGES = 100;
    private static final int FLOOD_CHANNELS_PER_MESSAGE = 10;
    private static final int NODE_FLOOD = 50;
    /** Flood messages that fit beside the node's first channel (ai1) before the cap refuses the rest. */
    private static final int ADMITTED_FLOOD_MESSAGES = (CHANNEL_CAP - 1) / FLOOD_CHANNELS_PER_MESSAGE;
    /** Source to live page for a good node's reading while the hostile node runs (generous for a loaded 2-core CI). */
    private static final Duration LATENCY_BOUND = Duration.ofSeconds(3);
    /** Heap growth after a full GC, attack against baseline. */
    private static final long HEAP_GROWTH_BOUND = 64L << 20;

    private final JsonMessageCodec codec = new JsonMessageCodec();
    private final ObjectMapper json = new ObjectMapper();
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
                .with("iiot.server.limits.max-gap-ranges-per-node", "100");
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
            NodeMessage message = NodeMessage.live(site, name, seq, ts, readings);
            publishedAt.put(seq, System.currentTimeMillis());
            client.publish(TopicContract.dataTopic(site, name), codec.encode(message), 1, false);
        }

        /** Publishes seq 1..count, one every periodMillis, each stamped with the time it is sent. */
        CompletableFuture<Void> stream(long count, long periodMillis, ScheduledExecutorService timer) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            AtomicLong next = new AtomicLong(1);
            AtomicLong lastTs = new AtomicLong();
            ScheduledFuture<?> task = timer.scheduleAtFixedRate(() -> {
                long seq = next.getAndIncrement();
                if (seq > count) {
                    done.complete(null);
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

    private static List<Reading> channels(String prefix, int from, int count) {
        List<Reading> readings = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            readings.add(Reading.good(prefix + i, i, "bar", null));
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
        Map<String, Long> liveAt = new ConcurrentHashMap<>();
        try (LiveClient live = new LiveClient("127.0.0.1", webPort); Node good1 = new Node(SITE, "good-1");
             Node good2 = new Node(SITE, "good-2"); Node hostile = new Node(SITE, "hostile-1")) {
            List<CompletableFuture<?>> streams = new ArrayList<>();
            for (Node good : List.of(good1, good2)) {
                streams.add(good.stream(GOOD_COUNT, 15, timer));
            }
            streams.add(CompletableFuture.runAsync(() -> {
                try {
                    attack(hostile);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads));
            CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            List<JsonNode> frames = live.frames();
            List<Long> arrivals = live.receivedAt();
            for (int i = 0; i < Math.min(frames.size(), arrivals.size()); i++) {
                if (frames.get(i).has("seq")) {
                    liveAt.putIfAbsent(frames.get(i).get("node").asText() + "/" + frames.get(i).get("seq").asLong(), arrivals.get(i));
                }
            }

            // every reading of the good nodes is stored, and each reached the live page within the bound
            for (String good : List.of("good-1", "good-2")) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(
                        Map.of("n", GOOD_COUNT, "lo", 1, "hi", GOOD_COUNT), TsdbRows.query(tsdbUrl,
                                "SELECT count_distinct(seq) n, min(seq) lo, max(seq) hi FROM reading WHERE node = '" + good + "'").get(0)));
            }
            assertEquals(2L * GOOD_COUNT, liveAt.keySet().stream().filter(k -> k.startsWith("good-")).count(),
                    "every good reading was sent live");
            long worst = 0;
            for (Node good : List.of(good1, good2)) {
                for (Map.Entry<Long, Long> sent : good.publishedAt.entrySet()) {
                    worst = Math.max(worst, liveAt.get(good.name + "/" + sent.getKey()) - sent.getValue());
                }
            }
            assertTrue(worst < LATENCY_BOUND.toMillis(), "slowest good reading took " + worst + " ms to the live page");
        } finally {
            timer.shutdownNow();
            threads.shutdownNow();
        }

        // the hostile node's excess is dead-lettered with the limit it broke, and its series stay within the cap
        int refusedFlood = FLOOD_MESSAGES - ADMITTED_FLOOD_MESSAGES;
        int refusedNodes = NODE_FLOOD - NODES_PER_SITE_CAP;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode pipeline = json.readTree(Http.get("http://127.0.0.1:" + webPort + "/api/pipeline").body());
            assertEquals(refusedFlood, pipeline.get("limits").get("max-unconfigured-channels-per-node").get("refused").asInt(),
                    pipeline.toString());
            assertEquals(refusedNodes, pipeline.get("limits").get("max-unconfigured-nodes-per-site").get("refused").asInt(),
                    pipeline.toString());
            assertEquals(refusedFlood + refusedNodes, pipeline.get("deadLettersByStage").get("limit").asInt(), pipeline.toString());
            assertEquals(refusedFlood + refusedNodes, deadLetters("stage = 'limit'"));
        });
        assertEquals(refusedFlood, deadLetters("node = 'hostile-1' AND reason LIKE 'limit iiot.server.limits.max-unconfigured-channels-per-node ("
                + CHANNEL_CAP + ") reached%'"));
        assertEquals(refusedNodes, deadLetters("site = 'flood' AND reason LIKE 'limit iiot.server.limits.max-unconfigured-nodes-per-site ("
                + NODES_PER_SITE_CAP + ") reached%'"));
        assertEquals(0, deadLetters("stage <> 'limit'"), "the extreme-but-valid messages are not refused");
        Object series = TsdbRows.query(tsdbUrl, "SELECT count_distinct(channel) n FROM reading WHERE node = 'hostile-1'").get(0).get("n");
        assertTrue(((Number) series).intValue() <= CHANNEL_CAP, series + " series of the hostile node");
        String metrics = Http.get("http://127.0.0.1:" + webPort + "/observe/metrics").body();
        assertEquals(Optional.of((double) refusedFlood), Http.sample(metrics,
                "iiot_limit_refusals_total{limit=\"max-unconfigured-channels-per-node\"}"), "metric per limit");

        // the API answers at once with a bounded size; health says the pipeline flows
        for (String path : List.of("/api/nodes", "/api/channels")) {
            long start = System.nanoTime();
            Http.Response response = Http.get("http://127.0.0.1:" + webPort + path);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, response.status(), path);
            assertTrue(millis < 1000, path + " took " + millis + " ms");
            assertTrue(response.body().length() < 100_000, path + " is " + response.body().length() + " chars");
        }
        JsonNode nodes = json.readTree(Http.get("http://127.0.0.1:" + webPort + "/api/nodes").body());
        assertEquals(3 + NODES_PER_SITE_CAP, nodes.size(), nodes.toString());
        Http.Response health = Http.get("http://127.0.0.1:" + webPort + "/observe/health");
        assertEquals(200, health.status(), health.body());
        assertTrue(health.body().contains("\"name\":\"ingest\",\"status\":\"UP\""), health.body());

        long heapAfter = heapAfterFullGc();
        assertTrue(heapAfter - heapBefore < HEAP_GROWTH_BOUND, "heap grew by " + ((heapAfter - heapBefore) >> 20)
                + " MB after a full GC");
    }

    @Test
    void aPacketLargerThanThePayloadLimitAllowsIsRefusedByTheBrokerBeforeTheServerReadsIt() throws Exception {
        int maxPayload = 65536;   // iiot.server.max-payload-bytes
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
        try (Node good = new Node(SITE, "good-1")) {
            CompletableFuture<Void> stream = good.stream(100, 15, timer);
            RawMqtt.Closed giant;
            try (RawMqtt client = new RawMqtt(brokerPort, "it-giant")) {
                try {
                    client.publish(TopicContract.dataTopic(SITE, "giant"), new byte[PacketSize.forPayload(maxPayload) + 1]);
                    giant = client.awaitClose(Duration.ofSeconds(10));
                } catch (java.io.IOException e) {
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

    /** The hostile node's messages: extreme but well-formed, then a flood of new channel names and of node names. */
    private void attack(Node hostile) throws Exception {
        long now = System.currentTimeMillis();
        List<Reading> one = List.of(Reading.good("ai1", 1.0, "bar", null));
        hostile.send(1, now, one);
        hostile.send(1L << 50, now + 1, one);                  // a corrupted counter
        hostile.send(Long.MAX_VALUE, now + 2, one);            // the largest seq there is
        hostile.send(0, now + 3, one);                         // restarted counter
        for (int i = 1; i <= 50; i++) {
            hostile.send(i, now + 4, one);                     // 50 messages in the same source millisecond
        }
        Random random = new Random(42);
        for (int i = 0; i < 100; i++) {
            hostile.send(Math.abs(random.nextLong()), now + 5 + i, one);   // a counter that jumps anywhere
        }
        for (int m = 0; m < FLOOD_MESSAGES; m++) {
            hostile.send(1_000 + m, now + 200 + m, channels("serial-", m * FLOOD_CHANNELS_PER_MESSAGE, FLOOD_CHANNELS_PER_MESSAGE));
        }
        // every channel the node was allowed, in one message: known channels pass whatever the cap
        List<Reading> all = new ArrayList<>(one);
        all.addAll(channels("serial-", 0, ADMITTED_FLOOD_MESSAGES * FLOOD_CHANNELS_PER_MESSAGE));
        hostile.send(2_000, now + 400, all);
        for (int n = 0; n < NODE_FLOOD; n++) {
            try (Node flooder = new Node("flood", "n-" + n)) {
                flooder.send(1, now, one);
            }
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
