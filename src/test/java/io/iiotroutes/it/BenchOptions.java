package io.iiotroutes.it;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Every {@code -Dbench.*} option of the benchmark (docs/performance.md has the table; {@code BenchmarkOptionsTest}
 * keeps this class, the pom's {@code bench} profile and the docs in step). An empty value counts as unset: the
 * Maven profile passes every option, empty when not given.
 */
final class BenchOptions {

    final Path dir = Path.of(property("bench.dir", "target/bench")).toAbsolutePath();
    final List<String> brokers = list("bench.brokers", "hivemq,mosquitto");
    /**
     * "ours": publishers forget a message on the broker's PUBACK, as Node-RED's load does; "ours-acked": the same
     * server, with publishers that keep each message until the server acknowledges it (the edge's default).
     */
    final List<String> systems = list("bench.systems", "ours,ours-acked,node-red");
    final List<String> tsdbs = list("bench.tsdbs", "influxdb,questdb");
    final List<Integer> rates = ints("bench.rates", "125,250,500,1000,1250,2000,2500,3000,4000,5000,6000,7000,8000");
    final List<Integer> questdbRates = ints("bench.questdb-rates", "250,1000,4000");
    /** past the end of the rate list (InfluxDB only): ×1.25 per step until the system fails, up to this rate */
    final int maxRate = intProperty("bench.max-rate", 20_000);
    final int nodes = intProperty("bench.nodes", 10);
    final int channels = intProperty("bench.channels", 8);
    final int seconds = intProperty("bench.seconds", 10);
    final int warmupSeconds = intProperty("bench.warmup-seconds", 10);
    final long maxLagMillis = intProperty("bench.max-lag-ms", 2000);
    final boolean retryFailedSteps = Boolean.parseBoolean(property("bench.retry-failed-steps", "true"));
    final int drainSeconds = intProperty("bench.drain-seconds", 20);
    final long pollMillis = intProperty("bench.poll-ms", 20);
    final int ceilingMessages = intProperty("bench.ceiling-messages", 20_000);
    final int faultRate = intProperty("bench.fault-rate", 1000);
    final int faultSeconds = intProperty("bench.fault-seconds", 20);
    final List<Integer> manyNodes = ints("bench.many-nodes", "1000");
    final int manyNodesSeconds = intProperty("bench.many-nodes-seconds", 20);
    final int idleSeconds = intProperty("bench.idle-seconds", 30);
    final int demoSeconds = intProperty("bench.demo-seconds", 60);
    final String serverJvmArgs = property("bench.server-jvm-args", "-Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    final String questdbJvmArgs = property("bench.questdb-jvm-args", "-Xmx256m -XX:+UseSerialGC");
    final String edgeJvmArgs = property("bench.edge-jvm-args",
            "-Xmx32m -Xss256k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=24m -XX:MaxMetaspaceSize=96m");
    final int edgeNodes = intProperty("bench.edge-nodes", 1);   // one node per edge process, as deployed
    final int edgePeriodMs = intProperty("bench.edge-period-ms", 10);
    final int edgeSeconds = intProperty("bench.edge-seconds", 20);
    /** glibc malloc arenas of our JVMs: the default (8 per core) costs tens of MB of RSS for nothing here */
    final String mallocArenas = property("bench.malloc-arena-max", "2");
    final Path nodeRedHome = Path.of(property("bench.node-red", "target/bench/node-red")).toAbsolutePath();

    static String property(String name, String defaults) {
        String value = System.getProperty(name, "").trim();
        return value.isEmpty() ? defaults : value;
    }

    static int intProperty(String name, int defaults) {
        return Integer.parseInt(property(name, Integer.toString(defaults)));
    }

    static List<String> list(String property, String defaults) {
        return Arrays.stream(property(property, defaults).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<Integer> ints(String property, String defaults) {
        return list(property, defaults).stream().map(Integer::parseInt).filter(i -> i > 0).toList();
    }

    static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    /** The rates of one TSDB's ramp. */
    List<Integer> rates(String tsdb) {
        return tsdb.equals("questdb") ? questdbRates : rates;
    }
}
