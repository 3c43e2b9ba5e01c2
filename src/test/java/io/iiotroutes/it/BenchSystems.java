package io.iiotroutes.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.broker.BrokerSettings;
import io.iiotroutes.broker.EmbeddedMqttBroker;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static io.iiotroutes.it.BenchProc.fresh;
import static io.iiotroutes.it.BenchProc.log;
import static org.awaitility.Awaitility.await;

/** The brokers and the systems under test (our server, Node-RED) as the benchmark starts them. */
final class BenchSystems {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchOptions options;

    BenchSystems(BenchOptions options) {
        this.options = options;
    }

    /** A broker: embedded HiveMQ CE (in the benchmark's JVM) or Debian's Mosquitto (a process). */
    static final class Broker implements AutoCloseable {
        final String name;
        final int port = TestPorts.free();
        EmbeddedMqttBroker hivemq;
        MosquittoBroker mosquitto;

        Broker(String name) {
            this.name = name;
        }

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

    Broker startBroker(String name) throws IOException {
        Broker broker = new Broker(name);
        Path root = fresh(options.dir.resolve("broker-" + name));
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

    /** A running system under test: its process, web port, work folder and TSDB target. */
    record Running(String name, Process process, int webPort, Path work, BenchTsdb tsdb, String target) {
        String wsUrl() {
            return "ws://127.0.0.1:" + webPort + "/ws";
        }
    }

    Running start(String system, Broker broker, BenchTsdb tsdb, String label) throws Exception {
        String target = tsdb.prepare(system, broker.name);
        int webPort = TestPorts.free();
        Path work = fresh(options.dir.resolve(system + "-" + broker.name + "-" + tsdb.name() + label));
        Process process = switch (system) {
            case "ours", "ours-acked" -> startOurs(work, broker, tsdb.ourServerArgs(target), webPort);
            case "node-red" -> startNodeRed(work, broker.url(), tsdb, target, webPort);
            default -> throw new IllegalArgumentException("unknown system " + system);
        };
        return new Running(system, process, webPort, work, tsdb, target);
    }

    private Process startOurs(Path work, Broker broker, List<String> tsdbArgs, int webPort) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(BenchOptions.words(options.serverJvmArgs));
        command.addAll(List.of("-jar", "target/iiot-routes.jar", "server", "--iiot.mqtt.url=" + broker.url()));
        command.addAll(tsdbArgs);
        // a session of its own per run: a backlog a previous run left in the broker must not reach this one
        command.addAll(List.of("--iiot.server.client-id=bench-" + work.getFileName(), "--iiot.web.port=" + webPort,
                "--iiot.data.dir=" + work.resolve("data")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("server.log").toFile()));
        builder.environment().put("MALLOC_ARENA_MAX", options.mallocArenas);
        Process process = builder.start();
        awaitUp(process, () -> httpOk("http://127.0.0.1:" + webPort + "/api/nodes"), "our server");
        return process;
    }

    /**
     * Our server stopped (SIGTERM) and started again on the same data folder, client id (its persistent session:
     * what the broker still holds for it comes now) and TSDB.
     */
    Running restartOurs(Running ours, Broker broker) throws Exception {
        TestProcesses.stopGracefully(ours.process(), Duration.ofSeconds(20));
        Process process = startOurs(ours.work(), broker, ours.tsdb().ourServerArgs(ours.target()), ours.webPort());
        return new Running(ours.name(), process, ours.webPort(), ours.work(), ours.tsdb(), ours.target());
    }

    /** Our server in demo mode as a newcomer starts it (no JVM options), on free ports. */
    Process startDemo(Path work, int webPort) throws Exception {
        // as the README starts it: the launcher with its JVM defaults for the demo (IIOT_JAVA: this JDK's java)
        ProcessBuilder builder = new ProcessBuilder("sh", "bin/iiot-routes", "demo",
                "--iiot.web.port=" + webPort, "--iiot.broker.port=" + TestPorts.free(),
                "--iiot.tsdb.http-port=" + TestPorts.free(), "--iiot.tsdb.pg-port=" + TestPorts.free(),
                "--iiot.data.dir=" + work.resolve("data"))
                .redirectErrorStream(true).redirectOutput(work.resolve("demo.log").toFile());
        builder.environment().put("IIOT_JAVA", java());
        builder.environment().remove("IIOT_JAVA_OPTS");
        Process process = builder.start();
        awaitUp(process, () -> httpOk("http://127.0.0.1:" + webPort + "/api/nodes"), "demo");
        return process;
    }

    private Process startNodeRed(Path work, String brokerUrl, BenchTsdb tsdb, String target, int webPort) throws Exception {
        Path redJs = options.nodeRedHome.resolve("node_modules/node-red/red.js");
        if (!Files.exists(redJs)) {
            throw new IllegalStateException("Node-RED is not installed in " + options.nodeRedHome + " (.ci/bench installs it)");
        }
        URI broker = URI.create(brokerUrl);
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
                 %s,
                 {"id":"out","type":"influxdb out","z":"tab","influxdb":"tsdb","name":"store","measurement":"reading"%s,"wires":[]},
                 {"id":"listener","type":"websocket-listener","path":"/ws","wholemsg":"false"},
                 {"id":"ws","type":"websocket out","z":"tab","name":"live","server":"listener","client":"","wires":[]}
                ]
                """.formatted(broker.getHost(), broker.getPort(), JSON.writeValueAsString("""
                const m = msg.payload;
                msg.payload = m.readings.map(r => [
                  { value: r.value, raw: r.raw, quality: r.quality, seq: m.seq, historical: m.historical === true, time: m.ts },
                  { site: m.site, node: m.node, channel: r.channel, unit: r.unit }]);
                return msg;
                """), tsdb.nodeRedConfigNode(target), tsdb.nodeRedOutProperties(target));
        Files.writeString(work.resolve("flows.json"), flow);
        Process process = new ProcessBuilder("node", redJs.toString(), "--userDir", work.toString(), "--port",
                Integer.toString(webPort), work.resolve("flows.json").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("node-red.log").toFile()).start();
        awaitUp(process, () -> Files.readString(work.resolve("node-red.log")).contains("Connected to broker"), "Node-RED");
        return process;
    }

    static String java() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    private static void awaitUp(Process process, Callable<Boolean> ready, String what) {
        await(what + " up").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited");
            }
            return ready.call();
        });
    }

    /** Stops a system; for our server also ends its persistent session, so the broker queues nothing more for it. */
    static void stop(Running system, Broker broker) {
        TestProcesses.stopGracefully(system.process(), Duration.ofSeconds(20));
        if (!system.name().startsWith("ours")) {
            return;
        }
        try {
            MqttAsyncClient client = new MqttAsyncClient(broker.url(), "bench-" + system.work().getFileName(), new MemoryPersistence());
            MqttConnectionOptions connect = new MqttConnectionOptions();
            connect.setCleanStart(true);
            connect.setSessionExpiryInterval(0L);
            client.connect(connect).waitForCompletion(10_000);
            client.disconnect().waitForCompletion(5_000);
            client.close(true);
        } catch (MqttException e) {
            log("session of " + system.work().getFileName() + " not ended: " + e);
        }
    }

    /** Our server's /observe/metrics after a step (write latency, batch sizes, ...), kept next to its log. */
    static void keepMetrics(Running system, String name) {
        if (!system.name().startsWith("ours")) {
            return;
        }
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.webPort() + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofFile(system.work().resolve("metrics-after-" + name + ".txt")));
        } catch (IOException | InterruptedException e) {
            log("metrics not kept: " + e);
        }
    }

    private static boolean httpOk(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }
}
