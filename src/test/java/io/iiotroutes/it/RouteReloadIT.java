package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.ops.SafeRouteReload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live route reload on the running server (its route files copied to a scratch folder): a saved change takes effect
 * without a restart, and a broken file leaves the running routes — its own and the others — as they were.
 */
class RouteReloadIT {

    @TempDir
    Path dir;
    private Path routes;
    private IiotApplication app;
    private int webPort;
    private int brokerPort;

    @BeforeEach
    void start() throws Exception {
        routes = Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        TestServer server = TestServer.of(Mode.SERVER, dir.resolve("data")).anonymousPublishers()
                // relative, as the default ("routes") is: a relative folder once made every reload fail
                .with("iiot.routes.dir", Path.of("").toAbsolutePath().relativize(routes).toString());
        brokerPort = server.brokerPort();
        webPort = server.webPort();
        app = server.start();
    }

    @AfterEach
    void stop() throws Exception {
        app.stop();
    }

    private Http.Response get(String path) {
        return Http.get("http://127.0.0.1:" + webPort + path);
    }

    private SafeRouteReload reloads() {
        return app.context().hasService(SafeRouteReload.class);
    }

    @Test
    void anEditedRouteFileTakesEffectAndABrokenOneLeavesTheRunningRoutesAlone() throws Exception {
        assertTrue(get("/api/pipeline").body().startsWith("{\"deadLetters\":"));
        Path api = routes.resolve("api.camel.yaml");
        String original = Files.readString(api);

        // the pipeline route's answer, wrapped after server-api-respond made it
        String edited = original.replace("""
                            ref: pipelineApi
                            method: response
                        - to: direct:server-api-respond
                """, """
                            ref: pipelineApi
                            method: response
                        - to: direct:server-api-respond
                        - transform:
                            simple: '{"edited":true,"api":${body}}'
                """);
        assertTrue(!edited.equals(original), "the test edits a line that exists");
        Files.writeString(api, edited);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/pipeline").body().contains("\"edited\":true"));
        long failuresBefore = reloads().getFailedCounter();

        Files.writeString(api, edited.replace("- route:\n    id: server-api-nodes", "- route:\n    id: [server-api-nodes\n  oops"));
        await().atMost(Duration.ofSeconds(30)).until(() -> reloads().getFailedCounter() > failuresBefore);

        // the routes of the broken file still answer as last loaded, and the pipeline still runs
        Http.Response pipeline = get("/api/pipeline");
        assertEquals(200, pipeline.status());
        assertTrue(pipeline.body().contains("\"edited\":true"), pipeline.body());
        assertEquals(200, get("/api/nodes").status());
        assertEquals("Started", app.context().getRouteController().getRouteStatus("server-ingest-receive").name());
        try (StreamPublisher node = new StreamPublisher("tcp://127.0.0.1:" + brokerPort, "it", "reload-1")) {
            node.start(10, 20);
            assertEquals(10, node.awaitDone(30));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/nodes").body().contains("reload-1"));

        // well-formed YAML that does not make a valid route (an option no endpoint has): also refused as a whole
        long failuresBeforeInvalid = reloads().getFailedCounter();
        String invalid = edited.replace("uri: direct:server-api-nodes\n", "uri: direct:server-api-nodes?noSuchOption=1\n");
        assertTrue(!invalid.equals(edited), "the test edits a line that exists");
        Files.writeString(api, invalid);
        await().atMost(Duration.ofSeconds(30)).until(() -> reloads().getFailedCounter() > failuresBeforeInvalid);
        // the failed attempt stops the file's routes for the moment it takes to put them back
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/api/pipeline").body().contains("\"edited\":true")
                && get("/api/nodes").status() == 200);

        // fixed again: loads again
        Files.writeString(api, original);
        await().atMost(Duration.ofSeconds(30)).until(() -> !get("/api/pipeline").body().contains("\"edited\""));

        // a reloaded file with beans keeps the server's state: the node monitor still knows the node
        Object monitor = app.context().getRegistry().lookupByName("nodeMonitor");
        long reloaded = reloads().getReloadCounter();
        Path ingest = routes.resolve("ingest.camel.yaml");
        Files.writeString(ingest, Files.readString(ingest) + "\n# saved again\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> reloads().getReloadCounter() > reloaded);
        assertTrue(monitor == app.context().getRegistry().lookupByName("nodeMonitor"), "same node monitor");
        // the reload counted may be the API file's from just before, still putting its routes back: wait for them
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/nodes").body().contains("reload-1"));
    }
}
