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

    /**
     * compose/check-first-start.sh over a stack that came up as designed, and over one that did not (a second IIoT
     * folder, a login that may write): stand-ins answer for docker compose and for Grafana's API with the shapes of
     * influx CLI 2.7's {@code auth list --json} (a v1 login's username is its "token") and Grafana 11's API.
     */
    @Test
    void theFirstStartCheckPassesOnAGoodStackAndNamesWhatIsWrongOnABadOne() throws Exception {
        Path bin = stand_in("docker", """
                case "$*" in
                  "compose logs influxdb") echo "init-iiot: InfluxQL mapping, read-only login 'grafana' and the server's read/write token for bucket iiot made" ;;
                  "compose logs server") echo "IIoT Routes server ... TSDB http://influxdb:8086" ;;
                  *"influx v1 dbrp list") printf 'ID\tDatabase\tBucket ID\n0a1\tiiot\tb7\n' ;;
                  *"influx v1 auth list --json")
                    printf '[\n\t{\n\t\t"id": "0b2",\n\t\t"description": "",\n\t\t"token": "grafana",\n\t\t"status": "active",\n\t\t"userName": "admin",\n\t\t"userID": "0c3",\n\t\t"permissions": [\n\t\t\t"read:orgs/a1/buckets/b7"%s\n\t\t]\n\t}\n]\n' "${BAD_STACK:+,\"write:orgs/a1/buckets/b7\"}" ;;
                  *"influx auth list --json")
                    printf '[{"id":"0d4","description":"admin'"'"'s Token","token":"x","status":"active","userName":"admin","userID":"0c3","permissions":["read:/authorizations","write:/authorizations","read:orgs/a1/buckets"]},\n {"id":"0e5","description":"iiot-server","token":"y","status":"active","userName":"admin","userID":"0c3","permissions":["read:orgs/a1/buckets/b7","write:orgs/a1/buckets/b7"]}]\n' ;;
                  *) echo "unexpected: docker $*" >&2; exit 2 ;;
                esac
                """);
        stand_in("curl", """
                url="${@: -1}"
                case "$url" in
                  */api/datasources/uid/iiot-influxdb/health) echo '{"message":"datasource is working. 7 measurements found","status":"OK"}' ;;
                  */api/folders) extra=''; [[ -n ${BAD_STACK:-} ]] && extra=',{"id":2,"uid":"iiot","orgId":1,"title":"IIoT"}'
                    echo '[{"id":1,"uid":"f1","orgId":1,"title":"IIoT"}'"$extra]" ;;
                  *"/api/search?type=dash-db&folderUIDs=f1") echo '[{"uid":"iiot-node-detail","type":"dash-db"},{"uid":"iiot-overview","type":"dash-db"},{"uid":"iiot-pipeline-health","type":"dash-db"}]' ;;
                  */api/v1/provisioning/alert-rules) for i in 1 2 3 4 5 6; do printf '{"uid":"r%s","folderUID":"f1","title":"rule %s"}' "$i" "$i"; done; echo ;;
                  *) echo "unexpected: curl $*" >&2; exit 22 ;;
                esac
                """);
        Path compose = Files.createDirectories(dir.resolve("compose"));
        Files.copy(Path.of("compose/check-first-start.sh"), compose.resolve("check-first-start.sh"));
        Files.writeString(compose.resolve(".env"), "GRAFANA_ADMIN_PASSWORD=secret-password\nGRAFANA_PUBLISH=3000\nINFLUXDB_BUCKET=iiot\n");

        Run good = run(List.of("bash", compose.resolve("check-first-start.sh").toString()), Map.of(), bin);
        assertEquals(0, good.exit(), good.output());
        assertEquals(9, good.output().lines().filter(l -> l.startsWith("ok ")).count(), good.output());
        assertFalse(good.output().contains("secret-password"));

        Run bad = run(List.of("bash", compose.resolve("check-first-start.sh").toString()), Map.of("BAD_STACK", "1"), bin);
        assertEquals(1, bad.exit(), bad.output());
        assertEquals(List.of("FAIL  login 'grafana' exists and may only read the bucket", "FAIL  exactly one folder IIoT (found 2)"),
                bad.output().lines().filter(l -> l.startsWith("FAIL")).toList(), bad.output());
    }

    /** The current user: chown to it works as root (CI) and as anyone else. */
    private static String uid() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        id.waitFor(5, TimeUnit.SECONDS);
        return new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
}
