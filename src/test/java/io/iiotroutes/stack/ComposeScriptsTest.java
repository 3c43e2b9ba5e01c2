package io.iiotroutes.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compose stack's two scripts that hand out InfluxDB credentials, run here with stand-ins for the programs they
 * call (no container engine): the {@code influx} CLI answering as influx CLI 2.7.5 does ({@code auth create --json}
 * prints the authorization, tab-indented), and {@code java}. What the scripts ask InfluxDB for is the point: the
 * least privilege each service gets.
 */
class ComposeScriptsTest {

    private static final Path INIT = Path.of("compose/influxdb/init-iiot.sh");
    private static final Path WRAPPER = Path.of("compose/server/with-tsdb-token.sh");
    private static final String TOKEN = "q2ZJ7w-Fh0_example-token_fX9k6e5W8Qv3yLkQ==";

    @TempDir
    Path dir;

    private Path stand_in(String name, String script) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/bash\n" + script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private record Run(int exit, String output) {
    }

    private Run run(List<String> command, Map<String, String> environment, Path bin) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "script did not end");
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void influxDbsFirstStartGivesGrafanaReadOnlyAndTheServerReadWriteOnItsBucket() throws Exception {
        Path calls = dir.resolve("influx-calls");
        Path bin = stand_in("influx", """
                echo "$*" >> "%s"
                if [[ "$1 $2" == "auth create" ]]; then
                  printf '{\\n\\t"id": "0c5e9a1f2d3b4000",\\n\\t"description": "iiot-server",\\n\\t"token": "%s",\\n\\t"status": "active",\\n\\t"userName": "admin",\\n\\t"permissions": [\\n\\t\\t"read:orgs/a1/buckets/b7",\\n\\t\\t"write:orgs/a1/buckets/b7"\\n\\t]\\n}\\n'
                fi
                """.formatted(calls, TOKEN));
        Path secrets = dir.resolve("secrets");
        Run run = run(List.of("bash", INIT.toString()), Map.of(
                "DOCKER_INFLUXDB_INIT_ORG", "iiot", "DOCKER_INFLUXDB_INIT_BUCKET", "iiot",
                "DOCKER_INFLUXDB_INIT_BUCKET_ID", "b7", "IIOT_GRAFANA_INFLUX_PASSWORD", "grafana-secret",
                "IIOT_SECRETS_DIR", secrets.toString(), "IIOT_SERVER_UID", uid()), bin);
        assertEquals(0, run.exit(), run.output());
        assertFalse(run.output().contains(TOKEN), "the token is never printed");

        assertEquals(List.of(
                "v1 dbrp create --org iiot --bucket-id b7 --db iiot --rp autogen --default",
                "v1 auth create --org iiot --username grafana --password grafana-secret --read-bucket b7",
                "auth create --org iiot --description iiot-server --read-bucket b7 --write-bucket b7 --json"),
                Files.readAllLines(calls), "Grafana may read the bucket; the server read and write it; nothing more");
        Path token = secrets.resolve("server-token");
        assertEquals(TOKEN, Files.readString(token));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
        assertFalse(Files.exists(secrets.resolve("server-token.tmp")));
    }

    @Test
    void influxDbsFirstStartFailsLoudlyWithoutAToken() throws Exception {
        Path bin = stand_in("influx", "if [[ \"$1 $2\" == \"auth create\" ]]; then echo '{\"code\":\"unauthorized\"}'; fi\n");
        Run run = run(List.of("bash", INIT.toString()), Map.of(
                "DOCKER_INFLUXDB_INIT_ORG", "iiot", "DOCKER_INFLUXDB_INIT_BUCKET", "iiot",
                "DOCKER_INFLUXDB_INIT_BUCKET_ID", "b7", "IIOT_GRAFANA_INFLUX_PASSWORD", "x",
                "IIOT_SECRETS_DIR", dir.resolve("secrets").toString(), "IIOT_SERVER_UID", uid()), bin);
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("gave no token"), run.output());
    }

    @Test
    void theServerStartsWithItsTokenInTheEnvironmentAndItsArguments() throws Exception {
        Path bin = stand_in("fake-java", "echo \"token=$IIOT_TSDB_TOKEN args=$*\"\n");
        Path file = dir.resolve("server-token");
        Files.writeString(file, TOKEN);
        Run run = run(List.of("sh", WRAPPER.toString(), "server", "--iiot.web.port=8080"),
                Map.of("TSDB_TOKEN_FILE", file.toString(), "IIOT_JAVA", bin.resolve("fake-java").toString()), bin);
        assertEquals(0, run.exit(), run.output());
        assertEquals("token=" + TOKEN + " args=-jar iiot-routes.jar server --iiot.web.port=8080", run.output().trim());
    }

    @Test
    void theServerDoesNotStartWithoutItsToken() throws Exception {
        Path bin = stand_in("fake-java", "echo started\n");
        Run run = run(List.of("sh", WRAPPER.toString(), "server"), Map.of("TSDB_TOKEN_FILE", dir.resolve("none").toString(),
                "TSDB_TOKEN_WAIT_SECONDS", "1", "IIOT_JAVA", bin.resolve("fake-java").toString()), bin);
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("no InfluxDB token in"), run.output());
        assertFalse(run.output().contains("started"));
    }

    /** The current user: chown to it works as root (CI) and as anyone else. */
    private static String uid() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        id.waitFor(5, TimeUnit.SECONDS);
        return new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
}
