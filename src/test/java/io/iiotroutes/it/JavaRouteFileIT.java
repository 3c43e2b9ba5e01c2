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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Java DSL route file dropped into the server's route folder (the shipped example, routes/examples/
 * NotGoodChannels.java): it loads at start beside the YAML routes, runs, and a saved change is live without a
 * restart.
 */
class JavaRouteFileIT {

    @TempDir
    Path dir;
    private IiotApplication app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.stop();
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
}
