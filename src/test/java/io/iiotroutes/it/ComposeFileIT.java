package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production stack (compose/docker-compose.yml) validated by Debian's docker-compose ({@code config -q}, no
 * engine needed), then its resolved form checked against the application: every IIOT_* variable is a setting the
 * application knows, URLs name services and their ports, ports match the defaults, tags are pinned, secrets come
 * only from .env, and the services start in order of health.
 */
class ComposeFileIT {

    private static final Path COMPOSE = Path.of("compose/docker-compose.yml");
    private static final Path ENV_EXAMPLE = Path.of("compose/.env.example");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> APP_SERVICES = Set.of("server", "edge-1", "edge-2");

    private static Map<String, String> defaults;
    private static Set<String> knownKeys;

    @TempDir
    Path dir;

    @BeforeAll
    static void readTheApplicationsSettings() throws IOException {
        defaults = new HashMap<>();
        for (String resource : List.of("iiot-common.properties", "iiot-server.properties", "iiot-edge.properties")) {
            Properties properties = new Properties();
            try (InputStream in = ComposeFileIT.class.getClassLoader().getResourceAsStream(resource)) {
                properties.load(in);
            }
            properties.stringPropertyNames().forEach(k -> defaults.putIfAbsent(k, properties.getProperty(k).trim()));
        }
        knownKeys = new TreeSet<>(defaults.keySet());
        // settings without a default (secrets, URLs) are documented in the configuration reference
        Matcher documented = Pattern.compile("`(iiot\\.[a-z0-9.-]+)`").matcher(Files.readString(Path.of("docs/configuration.md")));
        while (documented.find()) {
            knownKeys.add(documented.group(1));
        }
    }

    private static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** .env.example with every secret filled, as the deployment guide tells the user to do. */
    private Path filledEnv() throws IOException {
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(ENV_EXAMPLE)) {
            lines.add(line.matches("[A-Z0-9_]+=") ? line + "secret" + (++n) + "x" : line);
        }
        assertTrue(n >= 6, "the example leaves the secrets empty for the user to fill");
        Path env = dir.resolve("filled.env");
        Files.write(env, lines);
        return env;
    }

    private static String run(List<String> command, int expectedExit) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "docker-compose did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(expectedExit, process.exitValue(), () -> String.join(" ", command) + ":\n" + text);
        return text;
    }

    private List<String> compose(Path env, String... args) {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-f", COMPOSE.toString(), "--env-file", env.toString()));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void dockerComposeAcceptsTheFileOnceTheSecretsAreFilled() throws Exception {
        run(compose(filledEnv(), "config", "-q"), 0);
    }

    @Test
    void dockerComposeRefusesToRunWithAnEmptySecret() throws Exception {
        String output = run(compose(ENV_EXAMPLE, "config", "-q"), 1);
        assertTrue(output.contains("in .env"), output);
    }

    private JsonNode resolved() throws Exception {
        String yaml = run(compose(filledEnv(), "config"), 0);
        return YAML.readTree(yaml);
    }

    @Test
    void theStackHasTheServicesOfTheOriginalDeploymentWithPinnedImagesAndHealthOrder() throws Exception {
        JsonNode services = resolved().path("services");
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertEquals(new TreeSet<>(List.of("emqx", "influxdb", "grafana", "server", "edge-1", "edge-2")), names);

        services.fields().forEachRemaining(entry -> {
            String image = entry.getValue().path("image").asText();
            assertTrue(image.matches("[a-z0-9./-]+:[0-9][A-Za-z0-9._-]*"), entry.getKey() + ": pinned version tag, got " + image);
            entry.getValue().path("depends_on").fields().forEachRemaining(dep -> {
                assertEquals("service_healthy", dep.getValue().path("condition").asText(), entry.getKey() + " → " + dep.getKey());
                assertFalse(services.path(dep.getKey()).path("healthcheck").isMissingNode(), dep.getKey() + " needs a health check");
            });
        });
        for (String service : List.of("emqx", "influxdb", "grafana", "server")) {
            assertFalse(services.path(service).path("healthcheck").isMissingNode(), service + " has a health check");
        }
        assertEquals("server", services.path("server").path("command").path(0).asText());
        assertEquals("edge", services.path("edge-1").path("command").path(0).asText());
        assertEquals("edge", services.path("edge-2").path("command").path(0).asText());
    }

    @Test
    void everyApplicationVariableIsASettingTheApplicationKnows() throws Exception {
        Map<String, String> envToKey = new HashMap<>();
        knownKeys.forEach(k -> envToKey.put(envName(k), k));
        JsonNode services = resolved().path("services");
        for (String service : APP_SERVICES) {
            services.path(service).path("environment").fieldNames().forEachRemaining(name -> {
                if (name.startsWith("IIOT_")) {
                    assertTrue(envToKey.containsKey(name), () -> service + ": " + name + " is no setting of the application "
                            + "(keys: " + knownKeys + ")");
                }
            });
        }
    }

    @Test
    void urlsNameServicesAndPortsMatchTheDefaults() throws Exception {
        JsonNode services = resolved().path("services");
        JsonNode server = services.path("server").path("environment");

        // web: the container port is the default iiot.web.port, served on every interface of the container
        assertEquals(defaults.get("iiot.web.port"), server.path("IIOT_WEB_PORT").asText());
        assertEquals("0.0.0.0", server.path("IIOT_WEB_HOST").asText());
        assertTrue(targetPorts(services.path("server")).contains(Integer.parseInt(defaults.get("iiot.web.port"))));

        // MQTT: every app service talks to the emqx service on the port the broker publishes (the default 1883)
        for (String service : APP_SERVICES) {
            URI mqtt = URI.create(services.path(service).path("environment").path("IIOT_MQTT_URL").asText());
            assertEquals("emqx", mqtt.getHost(), service);
            assertEquals(Integer.parseInt(defaults.get("iiot.broker.port")), mqtt.getPort(), service);
            assertTrue(targetPorts(services.path("emqx")).contains(mqtt.getPort()), "emqx publishes " + mqtt.getPort());
            assertFalse(services.path(service).path("environment").path("IIOT_MQTT_USERNAME").asText().isEmpty(), service + " has an account");
        }
        // edge node usernames are the node ids the ACL binds to their topics
        assertEquals("node-1", services.path("edge-1").path("environment").path("IIOT_MQTT_USERNAME").asText());
        assertEquals("config/nodes/node-1.yaml", services.path("edge-1").path("environment").path("IIOT_EDGE_NODES").asText());
        assertEquals("node-2", services.path("edge-2").path("environment").path("IIOT_MQTT_USERNAME").asText());
        assertTrue(Files.exists(Path.of(services.path("edge-2").path("environment").path("IIOT_EDGE_NODES").asText())));

        // TSDB: the server and Grafana reach the influxdb service on the port it listens on
        URI tsdb = URI.create(server.path("IIOT_TSDB_URL").asText());
        assertEquals("influxdb", tsdb.getHost());
        assertTrue(targetPorts(services.path("influxdb")).contains(tsdb.getPort()));
        assertEquals(tsdb.toString(), services.path("grafana").path("environment").path("IIOT_INFLUXDB_URL").asText());
        assertEquals(server.path("IIOT_TSDB_BUCKET").asText(), services.path("grafana").path("environment").path("IIOT_INFLUXDB_DATABASE").asText());
        assertEquals(server.path("IIOT_TSDB_BUCKET").asText(), services.path("influxdb").path("environment").path("DOCKER_INFLUXDB_INIT_BUCKET").asText());
        assertEquals(server.path("IIOT_TSDB_ORG").asText(), services.path("influxdb").path("environment").path("DOCKER_INFLUXDB_INIT_ORG").asText());
        // least privilege: the admin token stays with InfluxDB; the server's own token (read/write on the bucket)
        // comes through the secrets volume and its entry point, Grafana reads with the read-only login's password
        String adminToken = services.path("influxdb").path("environment").path("DOCKER_INFLUXDB_INIT_ADMIN_TOKEN").asText();
        assertFalse(adminToken.isEmpty());
        services.fields().forEachRemaining(service -> {
            if (!service.getKey().equals("influxdb")) {
                service.getValue().path("environment").fields().forEachRemaining(variable -> assertNotEquals(adminToken,
                        variable.getValue().asText(), service.getKey() + " must not get InfluxDB's admin token: " + variable.getKey()));
            }
        });
        assertTrue(server.path("IIOT_TSDB_TOKEN").isMissingNode(), "the server's token is not in compose: it is made at first start");
        assertEquals(List.of("/bin/sh", "/opt/iiot/with-tsdb-token.sh"),
                JSON_LIST.apply(services.path("server").path("entrypoint")));
        assertEquals(services.path("influxdb").path("environment").path("IIOT_GRAFANA_INFLUX_PASSWORD").asText(),
                services.path("grafana").path("environment").path("IIOT_INFLUXDB_GRAFANA_PASSWORD").asText());
        assertTrue(mounts(services.path("influxdb")).contains("influxdb-secrets:/run/iiot-secrets:rw"), "init-iiot.sh writes the token");
        assertTrue(mounts(services.path("server")).contains("influxdb-secrets:/run/iiot-secrets:ro"), "the server only reads its token");
        services.fields().forEachRemaining(service -> {
            if (!List.of("influxdb", "server").contains(service.getKey())) {
                assertTrue(mounts(service.getValue()).stream().noneMatch(m -> m.startsWith("influxdb-secrets:")), service.getKey());
            }
        });

        // replicas: a shared subscription and one client id per container
        // ('config' prints a literal '$' escaped as '$$', as in the file; the container gets one '$')
        assertEquals("$share/iiot-server/" + defaults.get("iiot.server.subscription")
                        .replace("{{" + io.iiotroutes.model.TopicContract.ROOT_PROPERTY + "}}", io.iiotroutes.model.TopicContract.ROOT),
                server.path("IIOT_SERVER_SUBSCRIPTION").asText().replace("$$", "$"));
        assertTrue(server.path("IIOT_SERVER_CLIENT_ID").asText().contains("{{env:HOSTNAME}}"));
        // the stack runs two replicas by default, one web port each
        assertEquals(2, services.path("server").path("deploy").path("replicas").asInt());
        JsonNode webPort = services.path("server").path("ports").get(0);
        assertEquals("8080-8081", webPort.isTextual() ? webPort.asText().split(":")[0] : webPort.path("published").asText());
        String emqx = Files.readString(Path.of("compose/emqx/emqx.conf"));
        assertTrue(emqx.contains("shared_subscription_strategy = hash_topic"), "a node's stream stays on one replica");
    }

    @Test
    void theClientIdPlaceholderResolvesToTheContainersHostName() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PropertiesComponent properties = context.getPropertiesComponent();
            // what IiotApplication does with an environment value: an override of the file's key
            properties.addOverrideProperty("iiot.server.client-id", "iiot-server-{{env:PATH}}");
            String resolved = properties.resolveProperty("iiot.server.client-id").orElseThrow();
            assertEquals("iiot-server-" + System.getenv("PATH"), resolved);
        }
    }

    @Test
    void secretsComeFromTheEnvFileOnly() throws Exception {
        String raw = Files.readString(COMPOSE);
        Matcher secret = Pattern.compile("(?m)^\\s+([A-Z0-9_]*(PASSWORD|TOKEN|COOKIE)[A-Z0-9_]*):\\s*(.*)$").matcher(raw);
        int found = 0;
        while (secret.find()) {
            found++;
            String value = secret.group(3);
            assertTrue(value.matches("\\$\\{[A-Z0-9_]+:\\?[^}]*}"), () -> secret.group(1) + " must be a required ${VAR:?...}, got " + value);
        }
        assertTrue(found >= 8, "found " + found + " secrets");
        Map<String, String> example = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ENV_EXAMPLE)) {
            if (line.matches("[A-Z0-9_]+=.*")) {
                example.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        example.forEach((k, v) -> {
            if (k.matches(".*(PASSWORD|TOKEN|COOKIE).*")) {
                assertEquals("", v, k + " must be empty in .env.example");
            }
        });
        assertTrue(Files.readString(Path.of(".gitignore")).lines().anyMatch("compose/.env"::equals), ".env is never committed");
    }

    @Test
    void theMountedProvisioningAndBrokerFilesExist() throws Exception {
        JsonNode services = resolved().path("services");
        services.fields().forEachRemaining(service -> service.getValue().path("volumes").forEach(volume -> {
            String source = volume.isTextual() ? volume.asText().split(":")[0] : volume.path("source").asText();
            if (source.startsWith("/")) {
                assertTrue(Files.exists(Path.of(source)), service.getKey() + " mounts a missing " + source);
            }
        }));
        String acl = Files.readString(Path.of("compose/emqx/acl.conf.template"));
        assertTrue(acl.contains("publish, [\"iiot/v1/@SITE@/${username}/data\", \"iiot/v1/@SITE@/${username}/status\"]}."),
                "a node publishes only its own data and status (as TopicRules)");
        assertTrue(acl.contains("\"iiot/v1/_alarms/+/+\""), "the server publishes the nodes' active alarms");
        assertTrue(acl.trim().endsWith("{deny, all}."), "everything else is refused");
        String emqx = Files.readString(Path.of("compose/emqx/emqx.conf"));
        assertTrue(emqx.contains("no_match = deny") && emqx.contains("built_in_database") && emqx.contains("bootstrap_file"));
        // the packet limit the server announces (PacketSize): EMQX refuses a larger packet from its publisher instead of
        // discarding it on its way to the server
        assertTrue(emqx.contains("max_packet_size = " + io.iiotroutes.mqtt.PacketSize.forPayload(
                Integer.parseInt(defaults.get("iiot.server.max-payload-bytes"))) / 1024 + "KB"), "EMQX max_packet_size");
    }

    private static final java.util.function.Function<JsonNode, List<String>> JSON_LIST = node -> {
        List<String> items = new ArrayList<>();
        node.forEach(item -> items.add(item.asText()));
        return items;
    };

    /** A service's mounts as "source:target:mode" (docker-compose 1.x prints volumes in this short form). */
    private static List<String> mounts(JsonNode service) {
        List<String> mounts = new ArrayList<>();
        for (JsonNode volume : service.path("volumes")) {
            mounts.add(volume.isTextual() ? volume.asText()
                    : volume.path("source").asText() + ":" + volume.path("target").asText() + ":"
                    + (volume.path("read_only").asBoolean() ? "ro" : "rw"));
        }
        return mounts;
    }

    private static List<Integer> targetPorts(JsonNode service) {
        List<Integer> ports = new ArrayList<>();
        for (JsonNode port : service.path("ports")) {
            if (port.isTextual()) {
                String[] parts = port.asText().replace("/tcp", "").split(":");
                ports.add(Integer.parseInt(parts[parts.length - 1]));
            } else {
                ports.add(port.path("target").asInt());
            }
        }
        assertNotEquals(0, ports.size(), "publishes ports");
        return ports;
    }
}
