package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container image built by {@code mvn -Pimage} (Jib, target/iiot-routes-image.tar), started without a Docker
 * engine: its layers are unpacked in order into a root file system, and its entrypoint runs there under chroot, as
 * the image's user, in the image's working directory and environment, with demo mode on free loopback ports. The
 * image must serve the web page and show both simulated nodes, i.e. everything the image holds (JRE, jar,
 * libraries, routes/, edge-routes/, config/) works together. Runs only in the 'image' profile, as root.
 */
class ImageStartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private Path work;
    private Path proc;
    private Process process;

    @AfterEach
    void cleanUp() throws Exception {
        if (process != null) {
            TestProcesses.stopGracefully(process, Duration.ofSeconds(20));
        }
        if (proc != null) {
            run(List.of("umount", "-l", proc.toString()));
        }
        if (work != null) {
            run(List.of("rm", "-rf", "--one-file-system", work.toString()));
        }
    }

    @Test
    void theImagesEntrypointServesTheDemo() throws Exception {
        Path imageTar = Path.of(System.getProperty("image.tar", "target/iiot-routes-image.tar"));
        assertTrue(Files.isRegularFile(imageTar), "build the image first: mvn -Pimage verify (" + imageTar + ")");
        assertEquals("root", System.getProperty("user.name"), "chroot needs root (CI runs as root)");

        work = Files.createTempDirectory("iiot-image-it-");
        Path image = Files.createDirectories(work.resolve("image"));
        Path rootfs = Files.createDirectories(work.resolve("rootfs"));
        run(List.of("tar", "-xf", imageTar.toAbsolutePath().toString(), "-C", image.toString()));
        JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
        JsonNode config = JSON.readTree(image.resolve(manifest.path("Config").asText()).toFile()).path("config");
        for (JsonNode layer : manifest.path("Layers")) {
            run(List.of("tar", "-xf", image.resolve(layer.asText()).toString(), "-C", rootfs.toString()));
        }
        // what a container runtime provides: /proc (the JVM finds itself through /proc/self/exe) and basic devices
        Path procDir = Files.createDirectories(rootfs.resolve("proc"));
        run(List.of("mount", "-t", "proc", "proc", procDir.toString()));
        proc = procDir;
        Files.createDirectories(rootfs.resolve("dev"));
        for (String[] device : new String[][]{{"null", "3"}, {"zero", "5"}, {"random", "8"}, {"urandom", "9"}}) {
            if (!Files.exists(rootfs.resolve("dev").resolve(device[0]))) {
                run(List.of("mknod", "-m", "666", rootfs.resolve("dev").resolve(device[0]).toString(), "c", "1", device[1]));
            }
        }

        List<String> entrypoint = strings(config.path("Entrypoint"));
        assertTrue(!entrypoint.isEmpty() && entrypoint.get(0).equals("java"), "a java entrypoint: " + entrypoint);
        assertEquals(List.of("server"), strings(config.path("Cmd")), "server mode by default");
        String workingDir = config.path("WorkingDir").asText();
        assertEquals("/opt/iiot-routes", workingDir);
        for (String folder : List.of("routes", "edge-routes", "config/nodes")) {
            assertTrue(Files.isDirectory(rootfs.resolve(workingDir.substring(1)).resolve(folder)), folder + " is in the image");
        }

        int webPort = TestPorts.free();
        List<String> command = new ArrayList<>(List.of("chroot", "--userspec=" + user(config), rootfs.toString(),
                "/usr/bin/env", "-i", "-C", workingDir));
        command.addAll(strings(config.path("Env")));
        command.add("HOME=/tmp");
        command.addAll(entrypoint);
        command.addAll(List.of("demo", "--iiot.web.host=127.0.0.1", "--iiot.web.port=" + webPort,
                "--iiot.broker.port=" + TestPorts.free(), "--iiot.tsdb.host=127.0.0.1", "--iiot.tsdb.http-port=0",
                "--iiot.tsdb.pg-port=0", "--iiot.data.dir=/tmp/iiot-data"));
        Path log = work.resolve("image.log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            assertTrue(process.isAlive(), () -> "the image's entrypoint exited:\n" + read(log));
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return page.statusCode() == 200 && page.body().contains("IIoT Routes");
        });
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            String nodes = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/api/nodes"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return nodes.contains("\"node-1\"") && nodes.contains("\"node-2\"");
        });
    }

    private static String user(JsonNode config) {
        String user = config.path("User").asText("");
        return user.isEmpty() ? "0:0" : user.contains(":") ? user : user + ":" + user;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ":\n" + out);
    }
}
