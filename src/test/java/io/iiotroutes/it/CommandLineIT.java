package io.iiotroutes.it;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar as a user runs it: help, bad arguments, and settings from the environment and command line. */
class CommandLineIT {

    private record Run(int exitCode, String output) {
    }

    private static Run run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-jar", "target/iiot-routes.jar"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not exit: " + command);
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void helpListsModesAndMainSettings() throws Exception {
        Run help = run(Map.of(), "--help");

        assertEquals(0, help.exitCode(), help.output());
        for (String text : new String[]{"edge", "server", "demo", "iiot.mqtt.url", "IIOT_TSDB_URL", "iiot.web.port"}) {
            assertTrue(help.output().contains(text), text);
        }
    }

    @Test
    void anUnknownModeIsRefusedWithUsage() throws Exception {
        Run run = run(Map.of(), "cloud");

        assertEquals(2, run.exitCode());
        assertTrue(run.output().contains("unknown mode 'cloud'"), run.output());
    }

    @Test
    void environmentVariablesOverrideFilesAndTheCommandLineOverridesBoth() throws Exception {
        Run fromEnv = run(Map.of("IIOT_EDGE_NODES", "missing-from-env.yaml"), "edge");
        assertEquals(1, fromEnv.exitCode(), fromEnv.output());
        assertTrue(fromEnv.output().contains("error: IIoT Routes could not start in edge mode"), fromEnv.output());
        assertTrue(fromEnv.output().contains("missing-from-env.yaml"), fromEnv.output());

        Run fromArgs = run(Map.of("IIOT_EDGE_NODES", "missing-from-env.yaml"), "edge", "--iiot.edge.nodes=missing-from-args.yaml");
        assertEquals(1, fromArgs.exitCode(), fromArgs.output());
        assertTrue(fromArgs.output().contains("missing-from-args.yaml"), fromArgs.output());
    }

    @Test
    void anUnreachableBrokerStopsTheServerWithOneClearLine() throws Exception {
        int closedPort = TestPorts.free();
        Run run = run(Map.of(), "server", "--iiot.mqtt.url=tcp://127.0.0.1:" + closedPort,
                "--iiot.server.startup-wait-seconds=2", "--iiot.data.dir=target/cli-unreachable",
                "--iiot.web.port=" + TestPorts.free(), "--iiot.tsdb.http-port=0", "--iiot.tsdb.pg-port=0");

        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("error: IIoT Routes could not start in server mode: the MQTT broker at tcp://127.0.0.1:"
                + closedPort + " cannot be reached (waited 2 s)"), run.output());
        assertTrue(!run.output().contains("\tat "), "no stack trace for an operator error:\n" + run.output());
    }
}
