package io.iiotroutes.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.iiotroutes.it.BenchProc.fresh;
import static io.iiotroutes.it.BenchProc.log;
import static io.iiotroutes.it.BenchProc.waitMillis;

/** The measurements that are not rate steps: our server idle, the demo, the edge process. */
final class BenchExtras {

    private final BenchOptions options;
    private final BenchSystems systems;

    BenchExtras(BenchOptions options, BenchSystems systems) {
        this.options = options;
        this.systems = systems;
    }

    /**
     * Our server with nothing arriving: 20 s for start-up to settle, then its CPU (and the TSDB's) over
     * {@code bench.idle-seconds}.
     */
    String idle(BenchSystems.Running ours) throws Exception {
        waitMillis(20_000);
        long pid = ours.process().pid();
        double before = BenchProc.cpuSeconds(pid);
        double tsdbBefore = BenchProc.cpuSeconds(ours.tsdb().pid());
        long at = System.nanoTime();
        waitMillis(options.idleSeconds * 1000L);
        double seconds = (System.nanoTime() - at) / 1e9;
        double share = (BenchProc.cpuSeconds(pid) - before) / seconds;
        double tsdbShare = (BenchProc.cpuSeconds(ours.tsdb().pid()) - tsdbBefore) / seconds;
        String row = String.format(Locale.ROOT, "%.2f %% of one core over %.0f s (target ≤ 1 %%: %s); %s %.2f %%; RSS %d MB",
                share * 100, seconds, share <= 0.01 ? "met" : "**not met**", ours.tsdb().name(), tsdbShare * 100,
                BenchProc.rssKb(pid) / 1024);
        log("idle: " + row);
        return row;
    }

    /** The demo as a newcomer starts it: its RSS and CPU after {@code bench.demo-seconds} with its two nodes. */
    String demo() throws Exception {
        Path work = fresh(options.dir.resolve("demo"));
        int webPort = TestPorts.free();
        Process demo = systems.startDemo(work, webPort);
        try {
            long startedAt = System.currentTimeMillis();
            waitMillis(Math.max(0, options.demoSeconds * 1000L / 2 - (System.currentTimeMillis() - startedAt)));
            double before = BenchProc.cpuSeconds(demo.pid());
            long at = System.nanoTime();
            waitMillis(Math.max(0, startedAt + options.demoSeconds * 1000L - System.currentTimeMillis()));
            double share = (BenchProc.cpuSeconds(demo.pid()) - before) / ((System.nanoTime() - at) / 1e9);
            long rss = BenchProc.rssKb(demo.pid()) / 1024;
            String row = String.format(Locale.ROOT, "RSS %d MB after %d s (peak %d MB; target ≤ 350 MB: %s), CPU %.1f %% of one core "
                            + "over the second half (bin/iiot-routes demo: the launcher's JVM settings; embedded HiveMQ and QuestDB, two simulated nodes)",
                    rss, options.demoSeconds, BenchProc.peakRssKb(demo.pid()) / 1024, rss <= 350 ? "met" : "**not met**", share * 100);
            log("demo: " + row);
            return row;
        } finally {
            TestProcesses.stopGracefully(demo, Duration.ofSeconds(20));
        }
    }

    /** A real edge process (edge mode, simulated nodes, every sample published) for its peak RSS and CPU. */
    Map<String, String> edge(String brokerUrl) throws Exception {
        int channels = options.channels;
        Path work = fresh(options.dir.resolve("edge"));
        List<String> files = new ArrayList<>();
        for (int n = 1; n <= options.edgeNodes; n++) {
            StringBuilder yaml = new StringBuilder("""
                    site: bench-edge
                    node: e%02d
                    driver: { type: simulated, seed: %d }
                    groups:
                      - name: all
                        periodMs: %d
                        channels:
                    """.formatted(n, n, options.edgePeriodMs));
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
        command.add(BenchSystems.java());
        command.addAll(BenchOptions.words(options.edgeJvmArgs));
        command.addAll(List.of("-jar", "target/iiot-routes.jar", "edge", "--iiot.mqtt.url=" + brokerUrl,
                "--iiot.edge.nodes=" + String.join(",", files), "--iiot.data.dir=" + work.resolve("data")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("edge.log").toFile());
        builder.environment().put("MALLOC_ARENA_MAX", options.mallocArenas);
        Process edge = builder.start();
        Map<String, String> rows = new LinkedHashMap<>();
        try {
            long startedAt = System.currentTimeMillis();
            long[] before = null;
            long beforeAt = 0;
            while (System.currentTimeMillis() - startedAt < options.edgeSeconds * 1000L) {
                if (!edge.isAlive()) {
                    throw new IllegalStateException("edge exited, see " + work.resolve("edge.log"));
                }
                if (before == null && System.currentTimeMillis() - startedAt > 5000) {
                    before = BenchProc.cpuTicks(edge.pid());   // after start-up
                    beforeAt = System.currentTimeMillis();
                }
                waitMillis(250);
            }
            long[] after = BenchProc.cpuTicks(edge.pid());
            double cpuShare = before == null ? Double.NaN : ((after[0] + after[1]) - (before[0] + before[1]))
                    / (double) BenchProc.CLOCK_TICKS_PER_SECOND / ((System.currentTimeMillis() - beforeAt) / 1000.0);
            rows.put("edge load", options.edgeNodes + " nodes x " + channels + " channels every " + options.edgePeriodMs + " ms = "
                    + (options.edgeNodes * channels * 1000 / options.edgePeriodMs) + " points/s offered");
            rows.put("edge peak RSS", BenchProc.peakRssKb(edge.pid()) / 1024 + " MB (JVM args " + options.edgeJvmArgs + ")");
            rows.put("edge CPU", String.format(Locale.ROOT, "%.0f %% of one core", cpuShare * 100));
        } finally {
            TestProcesses.stopGracefully(edge, Duration.ofSeconds(20));
        }
        return rows;
    }
}
