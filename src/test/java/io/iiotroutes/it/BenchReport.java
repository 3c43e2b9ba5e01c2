package io.iiotroutes.it;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.iiotroutes.it.BenchProc.ms;

/** The benchmark's results as Markdown: every step, then ours and Node-RED side by side and as ratios. */
final class BenchReport {

    final List<BenchStep> steps = new ArrayList<>();
    /** why each ramp ended, per {@link #key} */
    final Map<String, String> rampEnd = new LinkedHashMap<>();
    final Map<String, BenchCeiling.Result> ceilingsNagle = new LinkedHashMap<>();
    final Map<String, BenchCeiling.Result> ceilingsNoDelay = new LinkedHashMap<>();
    final Map<String, String> edgeRows = new LinkedHashMap<>();
    /** fault steps of our server that lost points: stored points once our server was restarted on its session */
    final Map<BenchStep, Long> storedAfterRestart = new IdentityHashMap<>();
    String idle;
    String demo;

    private final BenchOptions options;
    private final StringBuilder out = new StringBuilder();

    BenchReport(BenchOptions options) {
        this.options = options;
    }

    static String key(String system, String broker, String tsdb) {
        return system + "/" + broker + "/" + tsdb;
    }

    String render(String started) {
        out.setLength(0);
        out.append("\n## Benchmark run ").append(started).append("\n\n");
        line("Load: %d nodes x %d channels per message (more nodes above 10,000 msg/s: at most 1,000 msg/s per node), QoS 1, "
                        + "%d s per step after a %d s warm-up at 1,000 msg/s per system, open loop; TSDBs %s (QuestDB rates %s); our server JVM args `%s`, "
                        + "MALLOC_ARENA_MAX=%s; %d cores; load average at each step's end in the table (other work on the machine counts too).%n",
                options.nodes, options.channels, options.seconds, options.warmupSeconds, options.tsdbs, options.questdbRates,
                options.serverJvmArgs, options.mallocArenas, Runtime.getRuntime().availableProcessors());
        everyStep();
        summary();
        ratios();
        ceilings();
        faults();
        manyNodes();
        out.append("\n### Idle and demo\n\n");
        out.append("- our server idle: ").append(idle == null ? "not measured" : idle).append('\n');
        out.append("- demo: ").append(demo == null ? "not measured" : demo).append('\n');
        if (!edgeRows.isEmpty()) {
            out.append("\n### Edge process\n\n");
            edgeRows.forEach((k, v) -> out.append("- ").append(k).append(": ").append(v).append('\n'));
        }
        return out.toString();
    }

    private void everyStep() {
        out.append("\n### Every step\n\n");
        out.append("| system | broker | TSDB | msg/s | points/s offered | load offered in (s) | stored / published points | lag after load (ms) "
                + "| achieved points/s | source→WebSocket p50 / p99 / p99.9 (ms) | source→TSDB p50 / p99 / p99.9 (ms) | CPU s per M points "
                + "| CPU cores: system / broker / TSDB / benchmark JVM | peak RSS (MB) | load avg | zero loss & kept up |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (BenchStep s : ramp()) {
            line("| %s | %s | %s | %,d | %,d | %.1f | %,d / %,d | %s | %,.0f | %s | %s | %.1f | %s | %d | %s | %s |", s.system(), s.broker(),
                    s.tsdb(), s.rate(), s.rate() * s.channels(), s.offeredSeconds(), s.storedPoints(), s.expectedPoints(), lag(s),
                    s.achievedPointsPerSecond(), ms(s.wsMillis()), ms(s.tsdbMillis()), s.cpuSecondsPerMillion(), s.cpu(),
                    s.peakRssKb() / 1024, s.loadAverage(), s.verdict());
        }
    }

    private void summary() {
        out.append("\n### Summary\n\n");
        out.append("| system | broker | TSDB | sustained zero-loss points/s | ramp ended | p99 source→WebSocket at 1,000 msg/s (ms) "
                + "| p99 source→TSDB at 1,000 msg/s (ms) | CPU s per M points (at the sustained rate) | peak RSS after the 10,000 points/s step (MB) "
                + "| peak RSS, whole run (MB) |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (String broker : options.brokers) {
            for (String tsdb : options.tsdbs) {
                for (String system : options.systems) {
                    List<BenchStep> mine = mine(system, broker, tsdb);
                    if (mine.isEmpty()) {
                        continue;
                    }
                    Optional<BenchStep> best = mine.stream().filter(BenchStep::passed).reduce((a, b) -> b);
                    Optional<BenchStep> at1000 = at(mine, 1000);
                    line("| %s | %s | %s | %,d | %s | %s | %s | %s | %s | %d |", system, broker, tsdb,
                            best.map(s -> s.rate() * s.channels()).orElse(0), rampEnd.getOrDefault(key(system, broker, tsdb), "–"),
                            at1000.map(s -> f0(s.wsMillis()[1])).orElse("–"), at1000.map(s -> f0(s.tsdbMillis()[1])).orElse("–"),
                            best.map(s -> f1(s.cpuSecondsPerMillion())).orElse("–"), at10k(mine).map(s -> Long.toString(s.peakRssKb() / 1024)).orElse("–"),
                            mine.stream().mapToLong(BenchStep::peakRssKb).max().orElse(0) / 1024);
                }
            }
        }
    }

    /** Ours / Node-RED: CPU per point at every common step up to 4,000 msg/s, peak RSS, p99 latency, sustained rate. */
    private void ratios() {
        out.append("\n### Ours / Node-RED\n\n");
        out.append("CPU seconds per million stored points at every rate both ran (125…4,000 msg/s; target ours ≤ 0.5 × Node-RED):\n\n");
        out.append("| broker | TSDB | msg/s | ours | Node-RED | ours / Node-RED | ≤ 0.5×? |\n|---|---|---|---|---|---|---|\n");
        for (String broker : options.brokers) {
            for (String tsdb : options.tsdbs) {
                List<BenchStep> ours = mine("ours", broker, tsdb);
                List<BenchStep> theirs = mine("node-red", broker, tsdb);
                ours.stream().map(BenchStep::rate).distinct().filter(r -> r <= 4000).sorted().forEach(rate -> {
                    BenchStep o = at(ours, rate).orElseThrow();
                    at(theirs, rate).ifPresent(t -> {
                        double ratio = o.cpuSecondsPerMillion() / t.cpuSecondsPerMillion();
                        line("| %s | %s | %,d | %.1f%s | %.1f%s | %.2f× | %s |", broker, tsdb, rate, o.cpuSecondsPerMillion(),
                                o.passed() ? "" : " (step failed)", t.cpuSecondsPerMillion(), t.passed() ? "" : " (step failed)",
                                ratio, ratio <= 0.5 ? "met" : "**no**");
                    });
                });
            }
        }
        out.append("\n| broker | TSDB | peak RSS at 10,000 points/s: ours / Node-RED (MB) | ≤ Node-RED? | p99 source→WebSocket at 1,000 msg/s: ours / Node-RED (ms) "
                + "| ours ≤ 50 ms? | sustained zero-loss points/s: ours / Node-RED | ratio | ours-acked / ours |\n|---|---|---|---|---|---|---|---|---|\n");
        for (String broker : options.brokers) {
            for (String tsdb : options.tsdbs) {
                List<BenchStep> ours = mine("ours", broker, tsdb);
                List<BenchStep> theirs = mine("node-red", broker, tsdb);
                if (ours.isEmpty() && theirs.isEmpty()) {
                    continue;
                }
                Optional<BenchStep> o10k = at10k(ours);
                Optional<BenchStep> t10k = at10k(theirs);
                Optional<BenchStep> o1000 = at(ours, 1000);
                long oursRate = sustained("ours", broker, tsdb);
                long theirRate = sustained("node-red", broker, tsdb);
                long acked = sustained("ours-acked", broker, tsdb);
                line("| %s | %s | %s / %s | %s | %s / %s | %s | %,d / %,d | %s | %s |", broker, tsdb,
                        o10k.map(s -> Long.toString(s.peakRssKb() / 1024)).orElse("–"), t10k.map(s -> Long.toString(s.peakRssKb() / 1024)).orElse("–"),
                        o10k.isPresent() && t10k.isPresent() ? (o10k.get().peakRssKb() <= t10k.get().peakRssKb() ? "met" : "**no**") : "–",
                        o1000.map(s -> f0(s.wsMillis()[1])).orElse("–"), at(theirs, 1000).map(s -> f0(s.wsMillis()[1])).orElse("–"),
                        o1000.map(s -> s.wsMillis()[1] <= 50 ? "met" : "**no**").orElse("–"), oursRate, theirRate,
                        theirRate == 0 ? "–" : String.format(Locale.ROOT, "%.1f×", oursRate / (double) theirRate),
                        acked == 0 || oursRate == 0 ? "–" : String.format(Locale.ROOT, "%.2f×", acked / (double) oursRate));
            }
        }
    }

    private void ceilings() {
        out.append("\n### Broker ceiling (one publisher → broker → one subscriber, QoS 1, loopback, nothing else running)\n\n");
        out.append("| broker | mosquitto_pub → mosquitto_sub (Nagle on) | Paho with TCP_NODELAY (ours' socket factory) | ours' sustained rate as a share of the TCP_NODELAY ceiling |\n");
        out.append("|---|---|---|---|\n");
        for (String broker : ceilingsNoDelay.keySet()) {
            BenchCeiling.Result noDelay = ceilingsNoDelay.get(broker);
            StringBuilder shares = new StringBuilder();
            for (String tsdb : options.tsdbs) {
                long points = sustained("ours", broker, tsdb);
                if (!mine("ours", broker, tsdb).isEmpty() && !Double.isNaN(noDelay.messagesPerSecond())) {
                    shares.append(shares.isEmpty() ? "" : "; ").append(String.format(Locale.ROOT, "%s: %,d msg/s = %.0f %%", tsdb,
                            points / options.channels, 100.0 * points / options.channels / noDelay.messagesPerSecond()));
                }
            }
            line("| %s | %s | %s | %s |", broker, ceilingsNagle.get(broker).text(), noDelay.text(), shares.isEmpty() ? "–" : shares);
        }
    }

    private void faults() {
        List<BenchStep> faults = steps.stream().filter(s -> s.kind().equals("fault")).toList();
        if (faults.isEmpty()) {
            return;
        }
        out.append("\n### TSDB stopped under load\n\n");
        line("The TSDB is stopped (SIGTERM) 5 s into the load, kept stopped for %d s, then started on the same data and port; "
                + "the load goes on for %d s in all. \"Away\" counts from the stop to the first answer after the restart.%n",
                options.faultSeconds, options.faultSeconds + 10);
        out.append("| system | broker | TSDB | msg/s | TSDB away (s) | published points (PUBACK) | stored after drain | lost (published − stored) "
                + "| catch-up after the TSDB restart (s) | stored after our server's restart (same session) | CPU s per M points | peak RSS (MB) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (BenchStep s : faults) {
            Long restarted = storedAfterRestart.get(s);
            line("| %s | %s | %s | %,d | %.1f | %,d | %,d | %s | %s | %s | %.1f | %d |", s.system(), s.broker(), s.tsdb(), s.rate(), s.tsdbDownSeconds(),
                    s.publishedPoints(), s.storedPoints(), s.lostPoints() == 0 ? "0" : String.format(Locale.ROOT, "**%,d**", s.lostPoints()),
                    Double.isNaN(s.catchUpSeconds()) ? "not caught up (drain ended: no new point for 20 s)" : String.format(Locale.ROOT, "%.1f", s.catchUpSeconds()),
                    restarted == null ? "–" : String.format(Locale.ROOT, "%,d / %,d", restarted, s.expectedPoints()),
                    s.cpuSecondsPerMillion(), s.peakRssKb() / 1024);
        }
    }

    private void manyNodes() {
        List<BenchStep> many = steps.stream().filter(s -> s.kind().equals("many-nodes")).toList();
        if (many.isEmpty()) {
            return;
        }
        out.append("\n### Many nodes (1 message/s each, plain Paho publishers with TCP_NODELAY, QoS 1, counted on PUBACK)\n\n");
        out.append("| system | broker | TSDB | nodes | points/s | load offered in (s) | stored / published points | zero loss & kept up "
                + "| source→WebSocket p50 / p99 / p99.9 (ms) | source→TSDB p50 / p99 / p99.9 (ms) | CPU s per M points | CPU cores: system / broker / TSDB / benchmark JVM "
                + "| peak RSS (MB) |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (BenchStep s : many) {
            line("| %s | %s | %s | %,d | %,d | %.1f | %,d / %,d | %s | %s | %s | %.1f | %s | %d |", s.system(), s.broker(), s.tsdb(), s.nodes(),
                    s.rate() * s.channels(), s.offeredSeconds(), s.storedPoints(), s.expectedPoints(), s.verdict(), ms(s.wsMillis()),
                    ms(s.tsdbMillis()), s.cpuSecondsPerMillion(), s.cpu(), s.peakRssKb() / 1024);
        }
    }

    private List<BenchStep> ramp() {
        return steps.stream().filter(s -> s.kind().equals("ramp")).toList();
    }

    private List<BenchStep> mine(String system, String broker, String tsdb) {
        return ramp().stream().filter(s -> s.system().equals(system) && s.broker().equals(broker) && s.tsdb().equals(tsdb)).toList();
    }

    private long sustained(String system, String broker, String tsdb) {
        return mine(system, broker, tsdb).stream().filter(BenchStep::passed).mapToLong(s -> (long) s.rate() * s.channels()).max().orElse(0);
    }

    /** The step at a rate; its retry when there was one. */
    private static Optional<BenchStep> at(List<BenchStep> steps, int rate) {
        return steps.stream().filter(s -> s.rate() == rate).reduce((a, b) -> b);
    }

    private static Optional<BenchStep> at10k(List<BenchStep> steps) {
        return steps.stream().filter(s -> s.rate() * s.channels() == 10_000).reduce((a, b) -> b);
    }

    private String lag(BenchStep s) {
        return s.lagMillis() < 0 ? "not drained in " + options.drainSeconds + " s" : Long.toString(s.lagMillis());
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private void line(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
