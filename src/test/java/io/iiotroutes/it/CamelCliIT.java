package io.iiotroutes.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo routes run by the Camel CLI ({@code bin/camel run ...}, as docs/operations.md shows) instead of the
 * application's launcher: the same YAML files, the embedded broker and TSDB, both simulated nodes stored.
 */
class CamelCliIT {

    @TempDir
    Path dir;
    private Process camel;

    @AfterEach
    void stop() {
        if (camel != null) {
            TestProcesses.stopGracefully(camel, Duration.ofSeconds(20));
        }
    }

    private static List<String> routeFiles(String folder) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(folder))) {
            return files.map(Path::toString).filter(f -> f.endsWith(".camel.yaml")).sorted().toList();
        }
    }

    @Test
    void camelRunRunsTheDemoRoutes() throws Exception {
        int webPort = TestPorts.free();
        int tsdbPort = TestPorts.free();
        List<String> command = new ArrayList<>(List.of("bin/camel", "run"));
        command.addAll(routeFiles("routes"));
        command.addAll(routeFiles("edge-routes"));
        command.addAll(List.of(
                "--name=iiot-demo", "--max-seconds=120",
                "--prop=camel.main.configurationClasses=io.iiotroutes.app.IiotRuntime$Demo",
                "--prop=camel.component.properties.location=classpath:iiot-demo.properties,classpath:iiot-common.properties",
                "--prop=iiot.data.dir=" + dir.resolve("data"),
                "--prop=iiot.web.port=" + webPort,
                "--prop=iiot.broker.port=" + TestPorts.free(),
                "--prop=iiot.tsdb.http-port=" + tsdbPort,
                "--prop=iiot.tsdb.pg-port=" + TestPorts.free()));
        camel = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("camel-run.log").toFile()).start();

        String tsdb = "http://127.0.0.1:" + tsdbPort;
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() ->
                TsdbRows.count(tsdb, "node = 'node-1'") > 0 && TsdbRows.count(tsdb, "node = 'node-2'") > 0);
        Http.Response nodes = Http.get("http://127.0.0.1:" + webPort + "/api/nodes");
        assertTrue(nodes.body().contains("\"node\":\"node-1\"") && nodes.body().contains("\"node\":\"node-2\""), nodes.body());
        assertTrue(Files.readString(dir.resolve("camel-run.log")).contains("Apache Camel (JBang)"), "run by the Camel CLI");
    }
}
