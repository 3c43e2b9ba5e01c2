package io.iiotroutes.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo as a newcomer meets it, from the packaged jar: the console starts with the banner, not with Camel's
 * configuration summaries (those are in the log file), the banner's "Watch MQTT" line, pasted into a shell as it
 * is, shows the live traffic through a read-only account, and the Camel CLI lists the running routes.
 */
class DemoConsoleIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private Process demo;
    private Process labNode;

    @AfterEach
    void stop() {
        if (labNode != null) {
            labNode.descendants().forEach(ProcessHandle::destroy);   // the java under bash, if bash did not exec it
            TestProcesses.stopGracefully(labNode, Duration.ofSeconds(30));
        }
        if (demo != null) {
            TestProcesses.stopGracefully(demo, Duration.ofSeconds(30));
        }
    }

    @Test
    void theConsoleOpensWithTheBannerAndItsMqttLineShowsTheTraffic() throws Exception {
        Path console = dir.resolve("console.log");
        Path data = dir.resolve("data");
        int webPort = TestPorts.free();
        // with the Camel CLI connector, which the demo leaves off unless asked (its banner says how)
        demo = TestProcesses.startJar(console, List.of(), "demo", "--iiot.cli.connector=true", "--iiot.data.dir=" + data,
                "--iiot.web.port=" + webPort, "--iiot.broker.port=" + TestPorts.free(),
                "--iiot.tsdb.http-port=0", "--iiot.tsdb.pg-port=0");
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(console).contains("Stop with Ctrl+C"));

        List<String> lines = Files.readAllLines(console);
        int banner = lines.indexOf(lines.stream().filter(l -> l.contains("IIoT Routes is running in demo mode")).findFirst().orElseThrow());
        assertTrue(banner < 15, banner + " lines before the banner:\n" + String.join("\n", lines.subList(0, banner)));
        String log = Files.readString(data.resolve("iiot-routes.log"));
        assertTrue(log.contains("Auto-configuration summary"), "the summaries are in the log file");

        assertTrue(lines.stream().anyMatch(l -> l.contains("Camel CLI") && l.contains("bin/camel get route")), "the banner names the CLI");
        String watch = lines.stream().filter(l -> l.contains("Watch MQTT")).findFirst().orElseThrow();
        String command = watch.substring(watch.indexOf(':') + 1).trim();
        assertTrue(command.startsWith("mosquitto_sub ") && !command.contains(Files.readString(data.resolve("mqtt-viewer-password")).trim()),
                "a ready command that reads the password from its file, never prints it: " + command);
        Process sub = new ProcessBuilder("bash", "-c", command + " -C 4 -W 30").redirectErrorStream(true).start();
        assertTrue(sub.waitFor(40, TimeUnit.SECONDS), "mosquitto_sub ended");
        String received = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sub.exitValue(), received);
        assertTrue(received.lines().filter(l -> l.startsWith("iiot/v1/demo/node-")).count() >= 4, received);

        // read-only: a well-formed reading published with the viewer's account is refused, so no node appears. MQTT 5,
        // so the broker answers the publish itself (PUBACK "not authorized") on a connection it accepted: a refused
        // login or a publish that never left would not print this
        String reading = "{\"version\":1,\"site\":\"demo\",\"node\":\"intruder\",\"seq\":1,\"ts\":" + System.currentTimeMillis()
                + ",\"readings\":[{\"channel\":\"ai1\",\"value\":1.0,\"unit\":\"bar\",\"quality\":\"GOOD\"}]}";
        String publish = command.replace("mosquitto_sub", "mosquitto_pub -V mqttv5 -d")
                .replace("-t 'iiot/v1/#' -v", "-t iiot/v1/demo/intruder/data -q 1 -m '" + reading + "'");
        assertTrue(publish.contains("-u viewer ") && publish.contains("-t iiot/v1/demo/intruder/data"), publish);
        Process pub = new ProcessBuilder("bash", "-c", publish).redirectErrorStream(true).start();
        assertTrue(pub.waitFor(20, TimeUnit.SECONDS), "mosquitto_pub ended");
        String refusal = new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(refusal.contains("received CONNACK (0)") && refusal.contains("Publish 1 failed: Not authorized")
                && refusal.contains("not authorized to publish to iiot/v1/demo/intruder/data"),
                "the viewer's login is accepted and its publish refused:\n" + refusal);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                !Http.get("http://127.0.0.1:" + webPort + "/api/nodes").body().contains("intruder"));
        assertTrue(Files.readString(data.resolve("iiot-routes.log")).contains("Routes startup"), "route summary in the file");

        // the banner's "Add a node" line, run as it is, joins a node of one's own to the demo
        String add = lines.stream().filter(l -> l.contains("Add a node")).findFirst().orElseThrow();
        String addCommand = add.substring(add.indexOf(':') + 1).trim();
        labNode = new ProcessBuilder("bash", "-c", addCommand).redirectErrorStream(true)
                .redirectOutput(dir.resolve("lab-node.log").toFile()).start();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                Http.get("http://127.0.0.1:" + webPort + "/api/nodes/demo/lab-node").body().contains("\"status\":\"online\""));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.get("http://127.0.0.1:" + webPort + "/api/nodes/demo/lab-node").body().matches("(?s).*\"received\":[1-9].*"));

        // the Camel CLI sees the running application. It reads the status file the application rewrites every second
        // in place (camel-cli-connector 4.17 truncates, then writes); a read that meets a half-written file skips the
        // process and lists nothing, so a user, and this test, asks again
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Process cli = new ProcessBuilder("bin/camel", "get", "route").redirectErrorStream(true).start();
            assertTrue(cli.waitFor(120, TimeUnit.SECONDS), "bin/camel get route ended");
            String routes = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // (the CLI shortens long ids in its table; the FROM column names the endpoints in full)
            assertTrue(routes.contains("iiot-demo") && routes.contains("server-alarm-check") && routes.contains("paho-mqtt5://iiot/v1/+/+/data")
                    && routes.contains("timer://edge-acquisition-node-1") && !routes.contains("SLF4J"), routes);
        });
    }
}
