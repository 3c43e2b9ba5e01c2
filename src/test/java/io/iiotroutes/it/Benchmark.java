package io.iiotroutes.it;

import io.iiotroutes.codec.JsonMessageCodec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.iiotroutes.it.BenchProc.fresh;
import static io.iiotroutes.it.BenchProc.log;

/**
 * The performance benchmark (docs/performance.md): not a test, run by {@code .ci/bench} ({@code mvn -Pbench}).
 * <p>
 * For each broker (embedded HiveMQ CE, Debian's Mosquitto), each TSDB (InfluxDB 1.x, QuestDB) and each system (our
 * server as a subprocess, Node-RED with node-red-contrib-influxdb as the peer) it warms the system up, then drives a
 * bounded open-loop load through the broker into the TSDB and steps the rate up ({@link BenchLoad}); past the end of
 * the rate list the InfluxDB ramp goes on (×1.25 per step) until the system fails or the load generator cannot offer
 * the rate. On the last broker it then stops each TSDB for a while under load (fault step), runs many nodes at 1
 * message/s each and a real edge process; each broker's own ceiling is measured with the Mosquitto clients and with
 * TCP_NODELAY Paho clients ({@link BenchCeiling}); our server's idle CPU and the demo's RSS close the run
 * ({@link BenchExtras}). {@link BenchReport} prints every figure, side by side and as ratios.
 */
public final class Benchmark {

    private final BenchOptions options = new BenchOptions();
    private final BenchSystems systems = new BenchSystems(options);
    private final BenchLoad load = new BenchLoad(options);
    private final BenchExtras extras = new BenchExtras(options, systems);
    private final BenchReport report = new BenchReport(options);
    private int warmUps;

    public static void main(String[] args) throws Exception {
        new Benchmark().run();
        System.exit(0);   // HiveMQ and Paho leave non-daemon threads behind
    }

    private void run() throws Exception {
        Files.createDirectories(options.dir);
        String started = Instant.now().toString();
        log("benchmark started " + started + " in " + options.dir + ": " + options.nodes + " nodes x " + options.channels
                + " channels, " + options.seconds + " s per step, rates (messages/s) " + options.rates + ", QuestDB " + options.questdbRates);
        log(estimate());
        Map<String, BenchTsdb> tsdbs = new LinkedHashMap<>();
        try {
            for (String name : options.tsdbs) {
                tsdbs.put(name, switch (name) {
                    case "influxdb" -> new BenchInfluxDb(options.dir.resolve("influxdb"));
                    case "questdb" -> new BenchQuestDb(options.dir.resolve("questdb"), options.questdbJvmArgs);
                    default -> throw new IllegalArgumentException("unknown TSDB " + name);
                });
            }
            for (String brokerName : options.brokers) {
                boolean first = brokerName.equals(options.brokers.get(0));
                boolean last = brokerName.equals(options.brokers.get(options.brokers.size() - 1));
                try (BenchSystems.Broker broker = systems.startBroker(brokerName)) {
                    for (BenchTsdb tsdb : tsdbs.values()) {
                        for (String system : systemsFor(tsdb.name())) {
                            ramp(system, broker, tsdb, first && system.equals("ours") && tsdb == tsdbs.values().iterator().next());
                        }
                    }
                    if (last) {
                        for (BenchTsdb tsdb : tsdbs.values()) {
                            faults(broker, tsdb);
                        }
                        manyNodes(broker, tsdbs.values().iterator().next());
                        if (options.edgeSeconds > 0) {
                            report.edgeRows.putAll(extras.edge(broker.url()));
                        }
                    }
                    ceilings(broker);
                }
            }
        } finally {
            tsdbs.values().forEach(BenchTsdb::close);
        }
        if (options.demoSeconds > 0) {
            report.demo = extras.demo();
        }
        String text = report.render(started);
        System.out.println(text);
        Files.writeString(options.dir.resolve("results.md"), text);
    }

    /** QuestDB's ramp leaves out ours-acked (the publishers' acknowledgements cost the same whatever the TSDB). */
    private List<String> systemsFor(String tsdb) {
        return options.systems.stream().filter(s -> !s.equals("none"))
                .filter(s -> !(tsdb.equals("questdb") && s.equals("ours-acked"))).toList();
    }

    private void ramp(String system, BenchSystems.Broker broker, BenchTsdb tsdb, boolean measureIdle) throws Exception {
        BenchSystems.Running running = systems.start(system, broker, tsdb, "");
        String key = BenchReport.key(system, broker.name, tsdb.name());
        try {
            if (measureIdle && options.idleSeconds > 0) {
                report.idle = extras.idle(running) + " (" + broker.name + ", " + tsdb.name() + ")";
            }
            warmUp(running, broker);
            List<Integer> rates = new ArrayList<>(options.rates(tsdb.name()));
            boolean extend = tsdb.name().equals("influxdb");
            for (int i = 0; i < rates.size(); i++) {
                int rate = rates.get(i);
                BenchStep step;
                try {
                    step = step(running, broker, rate, 1);
                    if (!step.passed() && options.retryFailedSteps) {
                        // the machine is shared: a step that fails is run once more before it ends the ramp, and both
                        // attempts are reported
                        report.steps.add(step);
                        step = step(running, broker, rate, 2);
                        log("again: " + step.line());
                    }
                } catch (IllegalStateException e) {
                    // the system stopped answering: its ramp ends here, the rest of the run goes on
                    log("ramp " + key + " ended at " + rate + " msg/s: " + e.getMessage());
                    report.rampEnd.put(key, "failed at " + rate + " msg/s (the system stopped answering)");
                    return;
                }
                report.steps.add(step);
                if (!step.passed()) {
                    report.rampEnd.put(key, step.offered() ? "failed at " + rate + " msg/s"
                            : "generator limit at " + rate + " msg/s (the load generator could not offer it)");
                    return;
                }
                if (extend && i == rates.size() - 1) {
                    int next = Math.max(rate + 500, (int) Math.round(rate * 1.25 / 500.0) * 500);
                    if (next > rate && next <= options.maxRate) {
                        rates.add(next);   // past the list: on until it fails
                    }
                }
            }
            report.rampEnd.put(key, "passed every step (top: " + rates.get(rates.size() - 1) + " msg/s)");
        } finally {
            BenchSystems.stop(running, broker);
        }
    }

    /** JIT and connections warmed the same way for every system before its first measured step; not reported. */
    private void warmUp(BenchSystems.Running running, BenchSystems.Broker broker) throws Exception {
        if (options.warmupSeconds > 0) {
            // a site of its own each time: a run's database can be the one an earlier run of the same system used
            BenchStep warm = load.run(running, broker, new BenchLoad.Plan("warm-up", "w" + ++warmUps, 1000, options.nodes,
                    options.warmupSeconds, false, options.drainSeconds, 0));
            log("warm-up (not reported): " + warm.line());
        }
    }

    private BenchStep step(BenchSystems.Running running, BenchSystems.Broker broker, int rate, int attempt) throws Exception {
        String site = "b" + rate + (attempt > 1 ? "-" + attempt : "");   // a site of its own: counts start at zero
        BenchStep step = load.run(running, broker, new BenchLoad.Plan("ramp", site, rate, load.nodesFor(rate),
                options.seconds, false, options.drainSeconds, 0));
        log(step.line());
        BenchSystems.keepMetrics(running, site);
        return step;
    }

    /** The TSDB stopped for bench.fault-seconds in the middle of the load, for ours and Node-RED at the same rate. */
    private void faults(BenchSystems.Broker broker, BenchTsdb tsdb) throws Exception {
        if (options.faultRate <= 0 || options.faultSeconds <= 0) {
            return;
        }
        for (String system : List.of("ours", "node-red")) {
            if (!options.systems.contains(system)) {
                continue;
            }
            BenchSystems.Running running = systems.start(system, broker, tsdb, "-fault");
            try {
                BenchStep step = load.run(running, broker, new BenchLoad.Plan("fault", "f" + options.faultRate, options.faultRate,
                        load.nodesFor(options.faultRate), options.faultSeconds + 10, false, 120, options.faultSeconds));
                log(step.line());
                report.steps.add(step);
                if (system.equals("ours") && step.lostPoints() > 0) {
                    // lost, or held unacknowledged by the broker for our persistent session? A restart tells
                    running = systems.restartOurs(running, broker);
                    long stored = BenchLoad.awaitStored(running, step.site(), step.expectedPoints(), 120);
                    report.storedAfterRestart.put(step, stored);
                    log("fault: after our server's restart " + stored + " of " + step.expectedPoints() + " points stored");
                }
            } finally {
                BenchSystems.stop(running, broker);
            }
        }
    }

    /** bench.many-nodes light publishers at 1 message/s each, for ours and Node-RED. */
    private void manyNodes(BenchSystems.Broker broker, BenchTsdb tsdb) throws Exception {
        for (int nodes : options.manyNodes) {
            for (String system : List.of("ours", "node-red")) {
                if (!options.systems.contains(system)) {
                    continue;
                }
                BenchSystems.Running running = systems.start(system, broker, tsdb, "-many" + nodes);
                try {
                    warmUp(running, broker);
                    BenchStep step = load.run(running, broker, new BenchLoad.Plan("many-nodes", "m" + nodes, nodes, nodes,
                            options.manyNodesSeconds, true, options.drainSeconds, 0));
                    log(step.line());
                    report.steps.add(step);
                } finally {
                    BenchSystems.stop(running, broker);
                }
            }
        }
    }

    private void ceilings(BenchSystems.Broker broker) throws Exception {
        if (options.ceilingMessages <= 0) {
            return;
        }
        String payload = new String(new JsonMessageCodec().encode(load.message("ceiling", "n01", 1, System.currentTimeMillis())),
                StandardCharsets.UTF_8);
        Path work = fresh(options.dir.resolve("ceiling-" + broker.name));
        report.ceilingsNagle.put(broker.name, BenchCeiling.mosquittoClients(work, broker.port, payload, options.ceilingMessages, options.channels));
        report.ceilingsNoDelay.put(broker.name, BenchCeiling.paho(broker.url(), payload, options.ceilingMessages, options.channels));
        log("ceiling " + broker.name + ": mosquitto clients " + report.ceilingsNagle.get(broker.name).text()
                + "; Paho TCP_NODELAY " + report.ceilingsNoDelay.get(broker.name).text());
    }

    /**
     * How long the run may take: every listed step of every system (a ramp ends at its first failing step, so
     * usually less), each step's load plus ~5 s to connect, drain and count, a failing step twice.
     */
    private String estimate() {
        double total = 0;
        for (String tsdb : options.tsdbs) {
            total += options.brokers.size() * systemsFor(tsdb).size() * (15 + options.warmupSeconds + 5
                    + (options.rates(tsdb).size() + 1) * (options.seconds + 5.0));
        }
        if (options.faultRate > 0 && options.faultSeconds > 0) {
            total += options.tsdbs.size() * 2 * (15 + options.faultSeconds + 10 + 30);
        }
        total += options.manyNodes.stream().mapToDouble(n -> 2 * (15 + options.warmupSeconds + 5 + n * 0.11 + options.manyNodesSeconds + 10)).sum();
        total += options.idleSeconds + 20 + options.demoSeconds + 15 + options.edgeSeconds + options.brokers.size() * 30;
        return String.format(Locale.ROOT, "estimated duration: at most about %.0f minutes (every listed rate run by every system; "
                + "a ramp ends at its first failing step, so usually less)", total / 60);
    }
}
