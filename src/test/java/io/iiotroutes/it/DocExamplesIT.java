package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code curl} and {@code mosquitto_sub}/{@code mosquitto_pub} example of README.md and docs/*.md, taken from
 * the files and run as written: the demo's against the packaged demo jar, the deployment guide's (host
 * {@code <vm>}) against a server that asks for the operator token, from a folder holding a {@code .env} as compose/
 * does. Only what the docs tell the reader to put in is replaced: host and ports, the data folder. A new example
 * is picked up by itself; one that cannot be told apart fails here until this test knows how to run it.
 */
class DocExamplesIT {

    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\n]+)`");
    private static final String TOKEN = "doc-example-operator-token-0123456789";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private Process demo;
    private IiotApplication server;

    /** A command shown in a document, with where it is. */
    record Example(String doc, int line, String command) {
        @Override
        public String toString() {
            return doc + ":" + line + ": " + command;
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (demo != null) {
            TestProcesses.stopGracefully(demo, Duration.ofSeconds(30));
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void theDemoExamplesWorkAgainstTheDemo() throws Exception {
        List<Example> examples = examples().stream().filter(e -> !e.command().contains("<vm>")).toList();
        assertTrue(examples.size() >= 3 && examples.stream().anyMatch(e -> e.doc().equals("README.md")), examples.toString());

        Path console = dir.resolve("console.log");
        Path data = dir.resolve("data");
        int webPort = TestPorts.free();
        int brokerPort = TestPorts.free();
        demo = TestProcesses.startJar(console, List.of(), "demo", "--iiot.data.dir=" + data,
                "--iiot.web.port=" + webPort, "--iiot.broker.port=" + brokerPort,
                "--iiot.tsdb.http-port=0", "--iiot.tsdb.pg-port=0");
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(console).contains("Stop with Ctrl+C"));

        // the subscriptions first and all at once: an alarm event comes when a demo channel crosses a limit
        Map<Example, Process> running = new LinkedHashMap<>();
        for (Example example : examples) {
            String command = example.command()
                    .replace("localhost:8080", "127.0.0.1:" + webPort).replace("127.0.0.1:8080", "127.0.0.1:" + webPort)
                    .replace("-p 1883 ", "-p " + brokerPort + " ").replace("$(cat data/", "$(cat " + data + "/");
            if (command.startsWith("mosquitto_sub ")) {
                running.put(example, bash(dir, command + " -C 1 -W 150"));
            } else if (command.startsWith("curl ")) {
                running.put(example, bash(dir, command + " -sS -w '\\nHTTP %{http_code}\\n'"));
            } else {
                throw new AssertionError("no way to run this example yet: " + example);
            }
        }
        for (Map.Entry<Example, Process> run : running.entrySet()) {
            Example example = run.getKey();
            String output = finish(run.getValue(), 160);
            if (example.command().startsWith("mosquitto_sub ")) {
                assertEquals(0, run.getValue().exitValue(), example + "\n" + output);
                assertTrue(output.lines().anyMatch(l -> l.matches(topicRegex(example.command()) + " \\{.*\\}")),
                        "a message on the example's topic: " + example + "\n" + output);
            } else {
                assertHttp200(example, run.getValue(), output);
            }
        }
    }

    @Test
    void theDeploymentExamplesWorkAgainstAServerThatAsksForTheToken() throws Exception {
        List<Example> examples = examples().stream().filter(e -> e.command().contains("<vm>")).toList();
        assertTrue(examples.size() >= 3, examples.toString());
        // the guide's way to the operator token: a line run in compose/, reading .env
        List<Example> tokenLines = examplesOf(Path.of("docs/deployment.md")).stream()
                .filter(e -> e.command().startsWith("WEB_TOKEN=")).toList();
        assertEquals(1, tokenLines.size(), "deployment.md shows how to set WEB_TOKEN from .env: " + tokenLines);

        Path compose = Files.createDirectories(dir.resolve("compose"));
        String env = Files.readString(Path.of("compose/.env.example"));
        assertTrue(env.contains("\nWEB_TOKEN=\n"), "compose/.env.example has an empty WEB_TOKEN line to fill");
        Files.writeString(compose.resolve(".env"), env.replace("\nWEB_TOKEN=\n", "\nWEB_TOKEN=" + TOKEN + "\n"));
        TestServer test = TestServer.of(Mode.SERVER, dir.resolve("server")).with("iiot.web.auth", "token").with("iiot.web.token", TOKEN);
        server = test.start();
        String health = "http://127.0.0.1:" + test.webPort() + "/observe/health";
        await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(health).status() == 200);

        for (Example example : examples) {
            String command = example.command().replace("<vm>:8080", "127.0.0.1:" + test.webPort());
            assertTrue(command.startsWith("curl ") && !command.contains("<vm>"), "no way to run this example yet: " + example);
            Process run = bash(compose, tokenLines.get(0).command() + "; " + command + " -sS -w '\\nHTTP %{http_code}\\n'");
            assertHttp200(example, run, finish(run, 30));
        }
    }

    private static void assertHttp200(Example example, Process run, String output) {
        assertEquals(0, run.exitValue(), example + "\n" + output);
        assertTrue(output.endsWith("HTTP 200\n"), example + "\n" + output);
        if (example.command().contains("/api/")) {
            assertTrue(output.startsWith("[") || output.startsWith("{"), "JSON: " + example + "\n" + output);
        }
    }

    /** The MQTT topic filter of a mosquitto_sub line ({@code -t '...'}) as a regular expression for a topic. */
    private static String topicRegex(String command) {
        Matcher m = Pattern.compile("-t '([^']+)'").matcher(command);
        assertTrue(m.find(), command);
        return Pattern.quote(m.group(1)).replace("+", "\\E[^/]+\\Q").replace("#", "\\E.*\\Q");
    }

    /** bash -c, in {@code dir}, without a WEB_TOKEN of the environment (the examples must set what they use). */
    private static Process bash(Path dir, String command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().remove("WEB_TOKEN");
        return builder.start();
    }

    private static String finish(Process process, int seconds) throws Exception {
        boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "ended within " + seconds + " s: " + output);
        return output;
    }

    /** The examples of README.md and docs/*.md: inline code and lines of code blocks that run curl or mosquitto. */
    static List<Example> examples() throws IOException {
        List<Example> all = new ArrayList<>(examplesOf(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            for (Path doc : docs.filter(d -> d.toString().endsWith(".md")).sorted().toList()) {
                all.addAll(examplesOf(doc));
            }
        }
        List<Example> commands = all.stream().filter(e -> isExample(e.command())).toList();
        assertFalse(commands.isEmpty());
        return commands;
    }

    /** curl with a URL, mosquitto_sub/_pub with a topic: an example to run (not a tool or an option named in prose). */
    private static boolean isExample(String command) {
        return command.startsWith("curl ") && command.contains("http")
                || (command.startsWith("mosquitto_sub ") || command.startsWith("mosquitto_pub ")) && command.contains(" -t ");
    }

    private static List<Example> examplesOf(Path doc) throws IOException {
        List<Example> found = new ArrayList<>();
        List<String> lines = Files.readAllLines(doc);
        boolean block = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                block = !block;
            } else if (block) {
                found.add(new Example(doc.toString(), i + 1, line.strip()));
            } else {
                Matcher m = CODE_SPAN.matcher(line);
                while (m.find()) {
                    found.add(new Example(doc.toString(), i + 1, m.group(1).strip()));
                }
            }
        }
        return found;
    }
}
