package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;

import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import static io.iiotroutes.it.BenchProc.fresh;
import static io.iiotroutes.it.BenchProc.log;
import static io.iiotroutes.it.BenchProc.percentiles;
import static io.iiotroutes.it.BenchProc.waitMillis;
import static org.awaitility.Awaitility.await;

/**
 * One step of load against a running system: N simulated nodes publish C-channel messages with QoS 1 at fixed
 * intended times (open loop: a message's source timestamp is its intended send time, so a stalled pipeline shows as
 * latency, not as a slower load), then the stored points are counted in the TSDB. Measures the stored / published
 * points, source → WebSocket and source → TSDB-visible latency, the CPU of every process and the system's peak RSS.
 */
final class BenchLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A fault step's drain ends early when the stored count has not grown for this long. */
    static final long STALLED_MILLIS = 20_000;

    /**
     * @param light        plain Paho publishers ({@link BenchPublishers.Light}) instead of the edge publisher
     * @param faultSeconds &gt; 0: the TSDB is stopped for this long in the middle of the load, then started again (the
     *                     time its start takes comes on top: the step reports the time it was really away)
     */
    record Plan(String kind, String site, int rate, int nodes, int seconds, boolean light, int drainSeconds, int faultSeconds) {
    }

    private final BenchOptions options;
    private final JsonMessageCodec codec = new JsonMessageCodec();

    BenchLoad(BenchOptions options) {
        this.options = options;
    }

    /** Nodes a rate needs: at most 1,000 messages/s per node (source timestamps are in ms, one per message). */
    int nodesFor(int rate) {
        return Math.max(options.nodes, (rate + 999) / 1000);
    }

    /**
     * The live page's WebSocket, for the latencies. A system still busy with an earlier step's backlog may take a
     * while to answer (Node-RED after a failed QuestDB step); one that does not answer in 60 s fails the step, and
     * the step's publishers are closed so they do not linger for the rest of the run.
     */
    private static WebSocket connectLive(BenchSystems.Running system, String site, ConcurrentLinkedQueue<Long> wsLatencies,
                                         List<BenchPublishers> publishers) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                return BenchSystems.HTTP.newWebSocketBuilder()
                        .buildAsync(URI.create(system.wsUrl()), new LatencyListener(site, wsLatencies)).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                if (System.currentTimeMillis() > deadline) {
                    publishers.forEach(BenchPublishers::close);
                    throw new IllegalStateException(system.name() + " did not open its live WebSocket within 60 s: " + e, e);
                }
            }
        }
    }

    BenchStep run(BenchSystems.Running system, BenchSystems.Broker broker, Plan plan) throws Exception {
        String site = plan.site();
        int nodes = plan.nodes();
        int channels = options.channels;
        int perNode = plan.rate() * plan.seconds() / nodes;
        long periodNanos = 1_000_000_000L * nodes / plan.rate();
        if (periodNanos < 1_000_000) {
            throw new IllegalArgumentException("more than 1,000 messages/s per node: source timestamps (ms) would collide");
        }
        Path journals = fresh(options.dir.resolve("journal-" + system.name() + "-" + broker.name + "-" + site));
        // started side by side: one after the other, ten edge publishers took ~3 s per step
        ExecutorService starter = Executors.newFixedThreadPool(Math.min(nodes, 16));
        List<Future<BenchPublishers>> starting = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            String clientId = "bench-" + site + "-" + node(n);
            String node = node(n);
            starting.add(starter.submit(() -> plan.light()
                    ? new BenchPublishers.Light(broker.url(), clientId, site, node, codec)
                    : new BenchPublishers.Edge(broker.url(), clientId, site, node, journals.resolve(node),
                    system.name().equals("ours-acked"), codec)));
        }
        List<BenchPublishers> publishers = new ArrayList<>();
        for (Future<BenchPublishers> publisher : starting) {
            publishers.add(publisher.get());
        }
        starter.shutdown();
        await().atMost(Duration.ofSeconds(60)).until(() -> publishers.stream().allMatch(BenchPublishers::connected));

        ConcurrentLinkedQueue<Long> wsLatencies = new ConcurrentLinkedQueue<>();
        WebSocket socket = connectLive(system, site, wsLatencies, publishers);

        long t0 = System.currentTimeMillis() + 500;
        BenchTsdb tsdb = system.tsdb();
        BenchProc.CpuWindow cpuWindow = BenchProc.CpuWindow.start(system.process().pid(), broker.pid(), tsdb.pid(), ProcessHandle.current().pid());
        ScheduledExecutorService load = Executors.newScheduledThreadPool(Math.min(nodes, 16));
        AtomicLong sent = new AtomicLong();
        for (int n = 1; n <= nodes; n++) {
            BenchPublishers publisher = publishers.get(n - 1);
            String node = node(n);
            long offsetNanos = periodNanos * (n - 1) / nodes;   // nodes spread over the period, not in lock-step
            AtomicLong seq = new AtomicLong();
            long firstNanos = (t0 - System.currentTimeMillis()) * 1_000_000L + offsetNanos;
            load.scheduleAtFixedRate(() -> {
                long s = seq.incrementAndGet();
                if (s > perNode) {
                    return;
                }
                publisher.publish(message(site, node, s, sourceTime(t0, offsetNanos, periodNanos, s)));
                sent.incrementAndGet();
            }, firstNanos, periodNanos, TimeUnit.NANOSECONDS);
        }

        // source -> TSDB-visible: the newest stored seq of node 1, polled
        ConcurrentLinkedQueue<Long> tsdbLatencies = new ConcurrentLinkedQueue<>();
        AtomicLong visibleSeq = new AtomicLong();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        poller.scheduleWithFixedDelay(() -> {
            try {
                long last = tsdb.lastSeq(system.target(), site, node(1));
                long now = System.currentTimeMillis();
                for (long s = visibleSeq.get() + 1; s <= last; s++) {
                    tsdbLatencies.add(now - sourceTime(t0, 0, periodNanos, s));
                }
                visibleSeq.accumulateAndGet(last, Math::max);
            } catch (RuntimeException e) {
                // the TSDB is busy or away: the next poll catches up
            }
        }, 0, options.pollMillis, TimeUnit.MILLISECONDS);

        AtomicLong stoppedAt = new AtomicLong(-1);
        AtomicLong restartedAt = new AtomicLong(-1);
        Thread fault = null;
        if (plan.faultSeconds() > 0) {
            fault = new Thread(() -> outage(tsdb, t0 + (plan.seconds() - plan.faultSeconds()) * 500L, plan.faultSeconds(), stoppedAt, restartedAt), "bench-fault");
            fault.start();
        }

        long expectedPoints = (long) perNode * nodes * channels;
        long endOfLoad = t0 + plan.seconds() * 1000L;
        await().atMost(Duration.ofSeconds(plan.seconds() + 60L)).pollInterval(Duration.ofMillis(100)).until(() -> sent.get() >= (long) perNode * nodes);
        long lastPublished = System.currentTimeMillis();
        long confirmDeadline = lastPublished + 60_000;
        while (publishers.stream().anyMatch(p -> p.backlog() > 0) && System.currentTimeMillis() < confirmDeadline) {
            waitMillis(100);
        }
        if (fault != null) {
            fault.join();
        }
        long storedAt = -1;
        long stored = 0;
        long deadline = System.currentTimeMillis() + plan.drainSeconds() * 1000L;
        long progressAt = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            long now = tsdb.count(system.target(), site);
            if (now > stored) {
                progressAt = System.currentTimeMillis();
            }
            stored = Math.max(stored, now);
            if (stored >= expectedPoints) {
                storedAt = System.currentTimeMillis();
                break;
            }
            if (plan.faultSeconds() > 0 && System.currentTimeMillis() - progressAt > STALLED_MILLIS) {
                break;   // after a fault, what is not stored by now was lost: no need to wait out the drain window
            }
            waitMillis(100);
        }
        BenchProc.CpuWindow.Shares cpuShares = cpuWindow.stop();
        load.shutdownNow();
        poller.shutdownNow();
        socket.abort();
        long published = 0;
        for (BenchPublishers p : publishers) {
            published += p.confirmed();
            p.close();
        }
        stored = Math.max(stored, tsdb.count(system.target(), site));
        Map<String, Long> perNodeStored = tsdb.countByNode(system.target(), site);
        long gaps = (long) (nodes - perNodeStored.size()) * perNode * channels;   // nodes with nothing stored at all
        for (long count : perNodeStored.values()) {
            gaps += Math.max(0, (long) perNode * channels - count);
        }
        double cpuPerMillion = stored <= 0 ? Double.NaN : cpuShares.systemCpuSeconds() / (stored / 1e6);
        long lag = storedAt < 0 ? -1 : Math.max(0, storedAt - Math.max(lastPublished, endOfLoad));
        double achieved = storedAt < 0 ? 0 : stored * 1000.0 / Math.max(1, storedAt - t0);
        return new BenchStep(plan.kind(), site, system.name(), broker.name, tsdb.name(), plan.rate(), nodes, channels, expectedPoints,
                published, stored, gaps, achieved, lag, percentiles(wsLatencies), wsLatencies.size(), percentiles(tsdbLatencies),
                cpuPerMillion, BenchProc.peakRssKb(system.process().pid()), options.maxLagMillis, BenchProc.loadAverage(),
                (lastPublished - t0) / 1000.0, plan.seconds() * 1.1 + 0.5, cpuShares, storedAt, stoppedAt.get(), restartedAt.get());
    }

    /**
     * Stored points of a site once every expected point is stored, or the count has not grown for
     * {@link #STALLED_MILLIS}, or {@code maxSeconds} have passed.
     */
    static long awaitStored(BenchSystems.Running system, String site, long expected, int maxSeconds) {
        long deadline = System.currentTimeMillis() + maxSeconds * 1000L;
        long progressAt = System.currentTimeMillis();
        long stored = 0;
        while (System.currentTimeMillis() < deadline && stored < expected && System.currentTimeMillis() - progressAt <= STALLED_MILLIS) {
            long now = system.tsdb().count(system.target(), site);
            if (now > stored) {
                stored = now;
                progressAt = System.currentTimeMillis();
            }
            waitMillis(200);
        }
        return stored;
    }

    /** The fault: the TSDB stopped (SIGTERM) at {@code at} for {@code seconds}, then started on the same data and port. */
    private static void outage(BenchTsdb tsdb, long at, int seconds, AtomicLong stoppedAt, AtomicLong restartedAt) {
        try {
            waitMillis(Math.max(0, at - System.currentTimeMillis()));
            log("fault: stopping " + tsdb.name() + " for " + seconds + " s");
            long stopped = System.currentTimeMillis();
            stoppedAt.set(stopped);
            tsdb.stop();
            waitMillis(Math.max(0, stopped + seconds * 1000L - System.currentTimeMillis()));
            tsdb.start();
            restartedAt.set(System.currentTimeMillis());
            log("fault: " + tsdb.name() + " started again");
        } catch (Exception e) {
            throw new IllegalStateException("the fault step could not restart " + tsdb.name(), e);
        }
    }

    static long sourceTime(long t0, long offsetNanos, long periodNanos, long seq) {
        return t0 + (offsetNanos + periodNanos * (seq - 1)) / 1_000_000L;
    }

    static String node(int n) {
        return String.format(Locale.ROOT, "n%02d", n);
    }

    NodeMessage message(String site, String node, long seq, long sourceMillis) {
        List<Reading> readings = new ArrayList<>(options.channels);
        for (int c = 1; c <= options.channels; c++) {
            long raw = (seq * 31 + c * 997) % 32768;
            readings.add(Reading.good("ai" + c, raw / 3276.8, "V", raw));
        }
        return NodeMessage.live(site, node, seq, sourceMillis, readings);
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
}
