package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every query of the Grafana dashboards (panels and template variables) and of the provisioned alert rules, run
 * against a real InfluxDB 1.6.7 holding what the pipeline wrote: the server in server mode on the v1 write path,
 * fed over MQTT by a test publisher (v1 nodes, status, an invalid message, legacy topics). Each query must return
 * series with rows, and exactly the columns its SELECT names.
 */
class GrafanaQueriesIT {

    private static final String DB = "iiot";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path DASHBOARDS = Path.of("grafana/dashboards");
    private static final Path ALERT_RULES = Path.of("grafana/provisioning/alerting/iiot-alert-rules.yaml");
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)|\\$\\{(\\w+)}");

    private static InfluxDb1 influx;
    private static IiotApplication app;
    private static Path dir;

    @BeforeAll
    static void fillInfluxThroughThePipeline() throws Exception {
        dir = Files.createTempDirectory("iiot-grafana-it-");
        influx = new InfluxDb1(dir.resolve("influx")).start();
        influx.createDatabase(DB);
        Path legacyFile = dir.resolve("legacy-topics.yaml");
        Files.writeString(legacyFile, """
                topics:
                  Node2_Input_1: { site: it, node: legacy-2, channel: ai1, unit: bar, raw: [0, 4095], range: [0, 10] }
                """);
        TestServer server = TestServer.of(Mode.SERVER, dir.resolve("data")).anonymousPublishers()
                .with("iiot.tsdb.api", "v1")
                .with("iiot.tsdb.url", influx.url())
                .with("iiot.tsdb.database", DB)
                .with("iiot.legacy.enabled", "true")
                .with("iiot.legacy.topics-file", legacyFile.toString())
                .with("iiot.server.completeness-period-ms", "500")
                .with("iiot.server.pipeline-period-ms", "500");
        int brokerPort = server.brokerPort();
        app = server.start();

        long now = System.currentTimeMillis();
        JsonMessageCodec codec = new JsonMessageCodec();
        MqttClient publisher = new MqttClient("tcp://127.0.0.1:" + brokerPort, "it-grafana", new MemoryPersistence());
        publisher.connect();
        publisher.publish(TopicContract.statusTopic("it", "node-a"),
                ("{\"state\":\"online\",\"ts\":" + (now - 60_000) + "}").getBytes(StandardCharsets.UTF_8), 1, true);
        // node-a: live readings, seq 4 missing (a gap), values 1..12 bar (some above the 8 bar alarm), some not GOOD
        for (int seq = 1; seq <= 12; seq++) {
            if (seq == 4) {
                continue;
            }
            Quality quality = seq == 3 ? Quality.UNCERTAIN : seq == 7 ? Quality.BAD : Quality.GOOD;
            Reading ai1 = new Reading("ai1", quality == Quality.BAD ? null : (double) seq, "bar", 1000L * seq, quality,
                    quality == Quality.GOOD ? null : quality == Quality.BAD ? "wire break" : "clamped");
            Reading rtd1 = new Reading("rtd1", 20.0 + seq / 10.0, "degC", 900L + seq, Quality.GOOD, null);
            publisher.publish(TopicContract.dataTopic("it", "node-a"),
                    codec.encode(NodeMessage.live("it", "node-a", seq, now - 50_000 + seq * 1000L, List.of(ai1, rtd1))), 1, false);
        }
        // node-b: messages replayed from its store-and-forward journal
        for (int seq = 1; seq <= 3; seq++) {
            NodeMessage replay = new NodeMessage(1, "it", "node-b", seq, now - 40_000 + seq * 1000L, true,
                    List.of(Reading.good("ai1", seq, "%", null)));
            publisher.publish(TopicContract.dataTopic("it", "node-b"), codec.encode(replay), 1, false);
        }
        // the demo node the example alarm rule watches
        publisher.publish(TopicContract.dataTopic("demo", "node-1"), codec.encode(NodeMessage.live("demo", "node-1", 1,
                now - 30_000, List.of(Reading.good("ai1", 9.5, "bar", 15200L)))), 1, false);
        // an invalid message and an unmapped legacy topic: dead letters
        publisher.publish(TopicContract.dataTopic("it", "node-a"), "{not json".getBytes(StandardCharsets.UTF_8), 1, false);
        publisher.publish("Unknown_Input_9", "1".getBytes(StandardCharsets.UTF_8), 1, false);
        // the original system's flat topic, ingested through the mapping
        publisher.publish("Node2_Input_1", "3500".getBytes(StandardCharsets.UTF_8), 1, false);
        publisher.disconnect();
        publisher.close();

        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("SELECT count(quality) FROM reading WHERE node = 'node-a'", 22L);
        expected.put("SELECT count(quality) FROM reading WHERE node = 'node-b'", 3L);
        expected.put("SELECT count(quality) FROM reading WHERE node = 'legacy-2'", 1L);
        expected.put("SELECT count(quality) FROM reading WHERE node = 'node-1'", 1L);
        expected.put("SELECT count(size) FROM deadletter", 2L);
        expected.put("SELECT count(online) FROM node_status", 1L);
        expected.put("SELECT count(gaps) FROM completeness WHERE node = 'node-a' AND gaps = 1 AND received = 11", 1L);
        expected.put("SELECT count(received) FROM pipeline WHERE received > 0 LIMIT 1", 1L);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Map<String, Long> actual = new LinkedHashMap<>();
            expected.keySet().forEach(q -> actual.put(q, Math.min(influx.count(DB, q), q.contains("completeness") || q.contains("pipeline") ? 1 : Long.MAX_VALUE)));
            assertEquals(expected, actual);
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.stop();
        }
        if (influx != null) {
            influx.close();
        }
    }

    @Test
    void theLegacyTopicWasIngestedIntoTheSameModel() {
        List<Map<String, Object>> rows = influx.rows(DB, "SELECT value, raw, quality, unit FROM reading WHERE node = 'legacy-2'");
        assertEquals(1, rows.size());
        assertEquals(3500 * 10.0 / 4095, ((Number) rows.get(0).get("value")).doubleValue(), 1e-9);
        assertEquals(3500, ((Number) rows.get(0).get("raw")).intValue());
        assertEquals("GOOD", rows.get(0).get("quality"));
        assertEquals("bar", rows.get(0).get("unit"));
    }

    @Test
    void everyDashboardQueryReturnsSeriesWithItsColumns() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(DASHBOARDS)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(3, files.size(), "overview, node detail, pipeline health");
        int checked = 0;
        for (Path file : files) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            Map<String, String> variables = variableValues(dashboard, file);
            List<JsonNode> panels = new ArrayList<>();
            collectPanels(dashboard.path("panels"), panels);
            assertFalse(panels.isEmpty(), file + " has no panels");
            for (JsonNode panel : panels) {
                assertTrue(panel.path("targets").size() > 0, () -> file + ": panel '" + panel.path("title").asText() + "' has no query");
                for (JsonNode target : panel.path("targets")) {
                    String where = file.getFileName() + " / " + panel.path("title").asText() + " / " + target.path("refId").asText();
                    assertTrue(target.path("rawQuery").asBoolean(), where + ": queries are raw InfluxQL");
                    assertEquals("iiot-influxdb", target.path("datasource").path("uid").asText(), where + ": datasource uid");
                    String query = substitute(target.path("query").asText(), variables, "time > now() - 1h", where);
                    assertSeriesWithColumns(where, query);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 15, "expected every panel query to be checked, got " + checked);
    }

    @Test
    void everyAlertRuleQueryReturnsSeriesWithItsColumns() throws Exception {
        JsonNode rules = YAML.readTree(ALERT_RULES.toFile());
        int checked = 0;
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                for (JsonNode data : rule.path("data")) {
                    if (!data.path("datasourceUid").asText().equals("iiot-influxdb")) {
                        continue;
                    }
                    String where = "alert rule " + rule.path("uid").asText();
                    assertTrue(data.path("model").path("rawQuery").asBoolean(), where + ": raw InfluxQL");
                    String range = "time > now() - " + data.path("relativeTimeRange").path("from").asLong() + "s";
                    assertSeriesWithColumns(where, substitute(data.path("model").path("query").asText(), Map.of(), range, where));
                    checked++;
                }
            }
        }
        assertEquals(5, checked);
    }

    /** Template variables: each query variable's own query is run; the test then picks values as a user would. */
    private Map<String, String> variableValues(JsonNode dashboard, Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String name = variable.path("name").asText();
            String where = file.getFileName() + " / variable " + name;
            switch (variable.path("type").asText()) {
                case "query" -> {
                    assertEquals("iiot-influxdb", variable.path("datasource").path("uid").asText(), where);
                    String query = substitute(variable.path("query").asText(), values, "time > now() - 1h", where);
                    List<String> options = influx.rows(DB, query).stream().map(r -> (String) r.get("value")).toList();
                    assertFalse(options.isEmpty(), where + " offers no values: " + query);
                    assertEquals(List.of("key", "value"), columns(query), where);
                    // 'All' on site and channel (Grafana renders it as a regex alternation), one node picked
                    values.put(name, name.equals("node") ? pick(options, "node-a", where)
                            : "(" + options.stream().map(Pattern::quote).map(GrafanaQueriesIT::regexLiteral).collect(Collectors.joining("|")) + ")");
                }
                case "textbox", "constant", "custom" -> values.put(name, variable.path("query").asText());
                default -> throw new AssertionError(where + ": unexpected variable type " + variable.path("type"));
            }
        }
        return values;
    }

    private static String pick(List<String> options, String wanted, String where) {
        assertTrue(options.contains(wanted), where + " does not offer " + wanted + ": " + options);
        return wanted;
    }

    /** Grafana escapes regex characters of values it puts into a /regex/; ids here only need '.' escaped. */
    private static String regexLiteral(String quoted) {
        return quoted.substring(2, quoted.length() - 2).replace(".", "\\.");
    }

    private static String substitute(String query, Map<String, String> variables, String timeFilter, String where) {
        String result = query.replace("$timeFilter", timeFilter).replace("$__interval", "10s");
        Matcher m = VARIABLE.matcher(result);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = variables.get(name);
            if (value == null) {
                throw new AssertionError(where + ": unknown template variable $" + name + " in " + query);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void assertSeriesWithColumns(String where, String query) {
        JsonNode result = influx.query(DB, query);
        JsonNode series = result.path("series");
        assertTrue(series.size() > 0, () -> where + ": no series for " + query + " → " + result);
        List<String> expected = new ArrayList<>(List.of("time"));
        expected.addAll(columns(query));
        for (JsonNode s : series) {
            assertTrue(s.path("values").size() > 0, () -> where + ": a series without rows: " + s);
            List<String> actual = new ArrayList<>();
            s.path("columns").forEach(c -> actual.add(c.asText()));
            assertEquals(expected, actual, () -> where + ": columns of " + query);
        }
    }

    /** The columns a query's SELECT names (after 'time'): aliases, else function names, else field names. */
    static List<String> columns(String query) {
        if (query.trim().toUpperCase().startsWith("SHOW TAG VALUES")) {
            return List.of("key", "value");
        }
        Matcher select = Pattern.compile("(?is)^\\s*SELECT\\s+(.*?)\\s+FROM\\s").matcher(query);
        assertTrue(select.find(), "not a SELECT: " + query);
        List<String> columns = new ArrayList<>();
        int depth = 0;
        StringBuilder item = new StringBuilder();
        for (char c : (select.group(1) + ",").toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                columns.add(columnName(item.toString().trim()));
                item.setLength(0);
            } else {
                item.append(c);
            }
        }
        return columns;
    }

    private static String columnName(String item) {
        Matcher alias = Pattern.compile("(?i)\\s+AS\\s+\"([^\"]+)\"$").matcher(item);
        if (alias.find()) {
            return alias.group(1);
        }
        Matcher function = Pattern.compile("^(\\w+)\\(").matcher(item);
        if (function.find()) {
            return function.group(1);
        }
        return item.replace("\"", "");
    }

    private static void collectPanels(JsonNode panels, List<JsonNode> into) {
        for (JsonNode panel : panels) {
            if (panel.path("type").asText().equals("row")) {
                collectPanels(panel.path("panels"), into);
            } else {
                into.add(panel);
            }
        }
    }
}
