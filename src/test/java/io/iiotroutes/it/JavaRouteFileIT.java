package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.ops.SafeRouteReload;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Java DSL route file dropped into the server's route folder (the shipped example, routes/examples/
 * NotGoodChannels.java): it loads at start beside the YAML routes, runs, and a saved change is live without a
 * restart; in the test's JVM, and from the packaged jar as users run it (jOOR compiling against the jar's
 * classpath), where a Java file in the edge's route folder loads too, in the demo and in edge mode.
 */
class JavaRouteFileIT {

    /** A route file of the edge's folder: answers with the number of routes of its application. */
    private static final String EDGE_ROUTE = """
            import org.apache.camel.builder.RouteBuilder;

            public class EdgeRouteCount extends RouteBuilder {
                @Override
                public void configure() {
                    from("platform-http:/observe/example-routes?httpMethodRestrict=GET")
                            .routeId("edge-example-routes")
                            .process(exchange -> exchange.getMessage().setBody("routes " + exchange.getContext().getRoutes().size()));
                }
            }
            """;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private IiotApplication app;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.stop();
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            TestProcesses.stopGracefully(processes.get(i), Duration.ofSeconds(30));
        }
    }

    @Test
    void aJavaRouteFileLoadsRunsAndReloads() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Path example = routes.resolve("NotGoodChannels.java");
        Files.copy(Path.of("routes/examples/NotGoodChannels.java"), example);
        TestServer server = TestServer.of(Mode.SERVER, dir.resolve("data")).anonymousPublishers()
                .with("iiot.routes.dir", routes.toString());
        app = server.start();
        String url = "http://127.0.0.1:" + server.webPort() + "/api/examples/not-good";
        assertEquals("Started", app.context().getRouteController().getRouteStatus("server-example-not-good").name());
        assertEquals("[]", Http.get(url).body());

        MqttClient node = new MqttClient("tcp://127.0.0.1:" + server.brokerPort(), "it-java-1", new MemoryPersistence());
        node.connect();
        node.publish(TopicContract.dataTopic("it", "java-1"), new JsonMessageCodec().encode(NodeMessage.live("it", "java-1", 1,
                System.currentTimeMillis(), List.of(Reading.good("ai1", 1.0, "bar", null),
                        new Reading("ai2", null, "bar", null, Quality.BAD, "open circuit")))), 1, false);
        node.disconnect();
        node.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url).body().equals("[\"it/java-1/ai2\"]"));

        SafeRouteReload reloads = app.context().hasService(SafeRouteReload.class);
        long reloaded = reloads.getReloadCounter();
        Files.writeString(example, Files.readString(example).replace("/api/examples/not-good", "/api/examples/not-good-channels"));
        await().atMost(Duration.ofSeconds(60)).until(() -> reloads.getReloadCounter() > reloaded);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.get(url.replace("not-good", "not-good-channels")).body().equals("[\"it/java-1/ai2\"]"));
    }

    @Test
    void thePackagedJarLoadsRunsAndReloadsJavaRouteFilesOfBothFolders() throws Exception {
        Path routes = copyYamlRoutes(Path.of("routes"), dir.resolve("routes"));
        Path example = routes.resolve("NotGoodChannels.java");
        Files.copy(Path.of("routes/examples/NotGoodChannels.java"), example);
        Path edgeRoutes = copyYamlRoutes(Path.of("edge-routes"), dir.resolve("edge-routes"));
        Files.writeString(edgeRoutes.resolve("EdgeRouteCount.java"), EDGE_ROUTE);

        Path console = dir.resolve("demo.log");
        Path data = dir.resolve("data");
        int webPort = TestPorts.free();
        int brokerPort = TestPorts.free();
        processes.add(TestProcesses.startJar(console, List.of(), "demo", "--iiot.data.dir=" + data,
                "--iiot.web.port=" + webPort, "--iiot.broker.port=" + brokerPort, "--iiot.tsdb.http-port=0",
                "--iiot.tsdb.pg-port=0", "--iiot.routes.dir=" + routes, "--iiot.edge.routes-dir=" + edgeRoutes));
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(console).contains("Stop with Ctrl+C"));

        // runs: a JSON list of the demo's channels whose latest reading is not GOOD (from the server's catalog)
        String url = "http://127.0.0.1:" + webPort + "/api/examples/not-good";
        Http.Response answer = Http.get(url);
        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.body().matches("\\[(\"demo/node-\\d/\\w+\"(,|(?=])))*]"), answer.body());
        // the edge's folder, in the same demo
        assertEquals("routes ", Http.get("http://127.0.0.1:" + webPort + "/observe/example-routes").body().replaceAll("\\d+$", ""));

        // saved: live without a restart
        Files.writeString(example, Files.readString(example).replace("/api/examples/not-good", "/api/examples/not-good-channels"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(url.replace("not-good", "not-good-channels")).status() == 200);
        assertEquals(404, Http.get(url).status(), "the route is replaced, not added");

        // an edge process on its own (the banner's "Add a node", as the demo's lab-node) loads the edge's Java file
        int observePort = TestPorts.free();
        Path edgeLog = dir.resolve("edge.log");
        ProcessBuilder edge = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-jar", "target/iiot-routes.jar", "edge",
                "--iiot.mqtt.url=tcp://127.0.0.1:" + brokerPort, "--iiot.mqtt.username=lab-node",
                "--iiot.edge.nodes=config/nodes/lab-node.yaml", "--iiot.data.dir=" + data.resolve("lab-node"),
                "--iiot.edge.observe-port=" + observePort, "--iiot.edge.routes-dir=" + edgeRoutes)
                .redirectErrorStream(true).redirectOutput(edgeLog.toFile());
        edge.environment().put("IIOT_MQTT_PASSWORD", Files.readString(data.resolve("mqtt-lab-node-password")).trim());
        processes.add(edge.start());
        String edgeUrl = "http://127.0.0.1:" + observePort + "/observe/example-routes";
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> Http.get(edgeUrl).status() == 200);
        assertTrue(Http.get(edgeUrl).body().matches("routes \\d+"), Files.readString(edgeLog));
    }

    private static Path copyYamlRoutes(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }
}
