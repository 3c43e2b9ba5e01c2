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

    private static final String SEEDED = "seeded";
    private static final String EMPTY = "empty";
    private static final long SILENT_FOR_MS = 3_600_000;

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
        // node-a has a high alarm at 8 bar on ai1 (the node file is the one source of limits); silent-1 is configured,
        // never speaks, and was last heard an hour ago by this server's previous run
        Path nodeA = AlarmNodeFile.write(dir.resolve("node-a.yaml"), "it", "node-a");
        Path silent = AlarmNodeFile.write(dir.resolve("silent-1.yaml"), "it", "silent-1");
        Files.createDirectories(dir.resolve("data/server"));
        Files.writeString(dir.resolve("data/server/last-heard.json"),
                "{\"it/silent-1\":" + (System.currentTimeMillis() - SILENT_FOR_MS) + "}");
        TestServer server = TestServer.of(Mode.SERVER, dir.resolve("data")).anonymousPublishers()
                .with("iiot.server.nodes", nodeA + "," + silent)
                .with("iiot.server.alarm-report-period-ms", "500")
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
        expected.put("SELECT count(unacknowledged) FROM alarm_state WHERE node = 'node-a' AND unacknowledged = 1 LIMIT 1", 1L);
        expected.put("SELECT count(silent_s) FROM completeness WHERE node = 'silent-1' AND silent_s >= " + SILENT_FOR_MS / 1000 + " LIMIT 1", 1L);
        expected.put("SELECT count(event) FROM alarm WHERE node = 'node-a'", 1L);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Map<String, Long> actual = new LinkedHashMap<>();
            expected.keySet().forEach(q -> actual.put(q, Math.min(influx.count(DB, q), q.contains("LIMIT 1") || q.contains("gaps = 1") ? 1 : Long.MAX_VALUE)));
            assertEquals(expected, actual);
        });
        seedASilentNode(now);
    }

    /**
     * Database 'seeded': what the server writes while one node ('quiet') has been silent for 20 minutes and another
     * ('alive') streams with new gaps; database 'empty': what it holds when no server writes at all. Points as the
     * pipeline writes them (checked against database 'iiot' in {@link #theSeededDataHasThePipelinesShape}).
     */
    private static void seedASilentNode(long now) {
        influx.createDatabase(SEEDED);
        influx.createDatabase(EMPTY);
        String lines = String.join("\n",
                "completeness,node=quiet,site=s duplicates=0i,gaps=0i,last_seq=10i,online=0i,received=10i,resets=0i,silent_s=1170i " + (now - 60_000),
                "completeness,node=quiet,site=s duplicates=0i,gaps=0i,last_seq=10i,online=0i,received=10i,resets=0i,silent_s=1200i " + (now - 30_000),
                "completeness,node=alive,site=s duplicates=0i,gaps=1i,last_seq=40i,online=1i,received=39i,resets=0i,silent_s=1i " + (now - 60_000),
                "completeness,node=alive,site=s duplicates=0i,gaps=3i,last_seq=70i,online=1i,received=67i,resets=0i,silent_s=0i " + (now - 30_000),
                "pipeline,instance=i1,site=s deadletters=0i,deadletters_total=0i,inflight=0i,received=30i,stored=30i,write_failures=0i,write_ms_mean=1.5 " + (now - 60_000),
                "pipeline,instance=i1,site=s deadletters=0i,deadletters_total=0i,inflight=0i,received=30i,stored=30i,write_failures=0i,write_ms_mean=1.5 " + (now - 30_000),
                "reading,channel=ai1,node=quiet,site=s,unit=bar historical=false,quality=\"GOOD\",raw=100i,seq=10i,value=1.0 " + (now - 1_200_000),
                "reading,channel=ai1,node=alive,site=s,unit=bar historical=false,quality=\"GOOD\",raw=200i,seq=70i,value=2.0 " + (now - 2_000));
        assertEquals(204, influx.write(SEEDED, lines));
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
        assertEquals(6, checked);
    }

    @Test
    void alertRulesFireForWhatThePipelineStored() throws Exception {
        GrafanaRules rules = new GrafanaRules();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            GrafanaRules.Outcome silent = rules.evaluate(influx, DB, "iiot-node-silent");
            assertEquals(List.of(GrafanaRules.labels("site", "it", "node", "silent-1")), silent.firingLabels(),
                    "the configured node that stayed silent across the restart, and only it: " + silent.values());
            assertTrue(silent.values().get(GrafanaRules.labels("site", "it", "node", "node-a")) < 300, silent.values().toString());

            GrafanaRules.Outcome alarm = rules.evaluate(influx, DB, "iiot-process-alarm");
            assertEquals(List.of(GrafanaRules.labels("channel", "ai1", "level", "H", "node", "node-a", "site", "it")),
                    alarm.firingLabels(), "node-a's ai1 above its node file's high limit (8 bar), not acknowledged");
        });
        assertEquals("Normal", rules.evaluate(influx, DB, "iiot-pipeline-not-reporting").state());
        assertEquals("Normal", rules.evaluate(influx, DB, "iiot-tsdb-write-failures").state());
        GrafanaRules.Outcome deadLetters = rules.evaluate(influx, DB, "iiot-dead-letters");
        assertEquals(2.0, deadLetters.values().values().stream().mapToDouble(Double::doubleValue).sum(), deadLetters.values().toString());
        assertTrue(deadLetters.firingLabels().stream().anyMatch(l -> "node-a".equals(l.get("node"))), deadLetters.values().toString());
        // how many gaps are new within 15 minutes depends on when the completeness reports fell: only node-a can have any
        assertTrue(rules.evaluate(influx, DB, "iiot-new-gaps").firingLabels().stream().allMatch(l -> "node-a".equals(l.get("node"))));
    }

    /** Each rule's no-data and error state is chosen on purpose (see the rules file's header); here it is exercised. */
    @Test
    void alertRulesOverASilentNodeAndOverNoDataAtAll() throws Exception {
        GrafanaRules rules = new GrafanaRules();
        assertEquals(List.of("iiot-node-silent", "iiot-pipeline-not-reporting", "iiot-dead-letters", "iiot-new-gaps",
                "iiot-tsdb-write-failures", "iiot-process-alarm"), rules.uids(), "a new rule needs its cases here");

        // a node silent for 20 minutes while the server keeps reporting it: only that node alerts, and it stays so
        GrafanaRules.Outcome silent = rules.evaluate(influx, SEEDED, "iiot-node-silent");
        assertEquals(List.of(GrafanaRules.labels("site", "s", "node", "quiet")), silent.firingLabels(), silent.values().toString());
        assertEquals("Normal", rules.evaluate(influx, SEEDED, "iiot-pipeline-not-reporting").state());
        assertEquals(List.of(GrafanaRules.labels("site", "s", "node", "alive")),
                rules.evaluate(influx, SEEDED, "iiot-new-gaps").firingLabels(), "two new gaps of 'alive' within 15 minutes");
        assertEquals("Normal", rules.evaluate(influx, SEEDED, "iiot-tsdb-write-failures").state());
        // no dead letter and no active alarm are nothing to report: OK, on purpose
        assertEquals("OK", rules.evaluate(influx, SEEDED, "iiot-dead-letters").state());
        assertEquals("OK", rules.evaluate(influx, SEEDED, "iiot-process-alarm").state());

        // nothing written at all (every server down, or the TSDB refusing it): one rule alerts, and it covers the others
        Map<String, String> states = new LinkedHashMap<>();
        rules.uids().forEach(uid -> states.put(uid, rules.evaluate(influx, EMPTY, uid).state()));
        assertEquals(Map.of("iiot-node-silent", "OK", "iiot-pipeline-not-reporting", "Alerting", "iiot-dead-letters", "OK",
                "iiot-new-gaps", "OK", "iiot-tsdb-write-failures", "OK", "iiot-process-alarm", "OK"), states);
        rules.uids().forEach(uid -> assertEquals("Error", rules.rule(uid).path("execErrState").asText(),
                uid + ": a failing query (InfluxDB away) is an error, never a silent OK"));
    }

    @Test
    void theSeededDataHasThePipelinesShape() {
        for (String measurement : List.of("completeness", "pipeline", "reading")) {
            assertEquals(keys(DB, "SHOW TAG KEYS FROM \"" + measurement + "\""), keys(SEEDED, "SHOW TAG KEYS FROM \"" + measurement + "\""), measurement);
            Map<String, String> fields = fieldTypes(DB, measurement);
            fieldTypes(SEEDED, measurement).forEach((field, type) -> assertEquals(fields.get(field), type, measurement + "." + field));
        }
    }

    /** InfluxQL groups by tags only: a field named in GROUP BY is silently ignored (one series for all its values). */
    @Test
    void groupByNamesOnlyTagsOfWhatThePipelineWrites() throws Exception {
        Map<String, java.util.Set<String>> tags = new LinkedHashMap<>();
        for (String measurement : keys(DB, "SHOW MEASUREMENTS")) {
            tags.put(measurement, new java.util.TreeSet<>(keys(DB, "SHOW TAG KEYS FROM \"" + measurement + "\"")));
        }
        List<String> queries = new ArrayList<>(allDashboardQueries());
        for (JsonNode group : YAML.readTree(ALERT_RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                for (JsonNode data : rule.path("data")) {
                    if (data.path("datasourceUid").asText().equals("iiot-influxdb")) {
                        queries.add(data.path("model").path("query").asText());
                    }
                }
            }
        }
        Pattern from = Pattern.compile("(?i)\\bFROM\\s+\"?(\\w+)\"?");
        Pattern groupBy = Pattern.compile("(?i)\\bGROUP BY\\s+(.*?)(\\s+fill\\(.*?\\))?(\\s+ORDER BY.*|\\s+LIMIT.*)?$");
        Pattern withKey = Pattern.compile("(?i)WITH KEY = \"(\\w+)\"");
        int grouped = 0;
        for (String query : queries) {
            Matcher m = from.matcher(query);
            assertTrue(m.find(), "no FROM: " + query);
            java.util.Set<String> known = tags.get(m.group(1));
            assertTrue(known != null, "measurement " + m.group(1) + " is not written by the pipeline: " + query);
            Matcher key = withKey.matcher(query);
            if (key.find()) {
                assertTrue(known.contains(key.group(1)), key.group(1) + " is not a tag of " + m.group(1) + ": " + query);
            }
            Matcher g = groupBy.matcher(query);
            if (!g.find()) {
                continue;
            }
            for (String item : g.group(1).split(",")) {
                String name = item.trim();
                if (name.startsWith("time(")) {
                    continue;
                }
                name = name.replace("\"", "");
                assertTrue(known.contains(name), name + " is not a tag of " + m.group(1) + " " + known + ": " + query);
                grouped++;
            }
        }
        assertTrue(grouped >= 20, "GROUP BY items checked: " + grouped);
    }

    @Test
    void dashboardPanelsShowTheStoredNumbers() throws Exception {
        Map<String, JsonNode> panels = new LinkedHashMap<>();
        for (String file : List.of("node-detail.json", "overview.json", "pipeline-health.json")) {
            panels.putAll(panelResults(DASHBOARDS.resolve(file)));
        }
        // node detail (node-a, every channel)
        assertEquals(java.util.Set.of(List.of("node-a", "ai1", "bar"), List.of("node-a", "rtd1", "degC")),
                tagSets(panels.get("Trend/A"), "node", "channel", "unit"));
        assertEquals(Map.of("ai1", 1.0), sums(panels.get("Quality: not GOOD per interval/A"), "channel"), "seq 3 UNCERTAIN");
        assertEquals(Map.of("ai1", 1.0), sums(panels.get("Quality: not GOOD per interval/B"), "channel"), "seq 7 BAD");
        assertEquals(List.of(Map.of("channel", "ai1", "quality", "BAD", "reason", "wire break")),
                rows(panels.get("Latest quality/A"), "channel", "quality", "reason"));
        assertEquals(List.of(Map.of("channel", "ai1", "level", "H", "event", "RAISED", "threshold", 8.0, "value", 8.0)),
                rows(panels.get("Alarm events/A"), "channel", "level", "event", "threshold", "value"));
        assertEquals(java.util.Set.of(List.of("ai1"), List.of("rtd1")), tagSets(panels.get("Raw counts/A"), "channel"));
        // overview (every site)
        Map<String, Map<String, Object>> status = byNode(panels.get("Node status/A"));
        assertEquals(0, ((Number) status.get("it/silent-1").get("online")).intValue());
        assertTrue(((Number) status.get("it/silent-1").get("silent s")).longValue() >= SILENT_FOR_MS / 1000, status.toString());
        assertEquals(1, ((Number) status.get("it/node-a").get("online")).intValue(), status.toString());
        assertTrue(((Number) status.get("it/node-a").get("silent s")).longValue() < 300, status.toString());
        Map<String, Map<String, Object>> lastSeen = byNode(panels.get("Last seen/A"));
        assertEquals(Map.of("it/node-a", 12, "it/node-b", 3, "demo/node-1", 1, "it/legacy-2", 1),
                column(lastSeen, "last seq"));
        Map<String, Map<String, Object>> completeness = byNode(panels.get("Completeness/A"));
        assertEquals(Map.of("received", 11, "gaps", 1, "duplicates", 0, "resets", 0), ints(completeness.get("it/node-a")));
        assertEquals(Map.of("received", 0, "gaps", 0, "duplicates", 0, "resets", 0), ints(completeness.get("it/silent-1")));
        Map<String, Object> latest = new LinkedHashMap<>();
        for (Map<String, Object> row : rows(panels.get("Latest values/A"), "node", "channel", "unit", "value", "quality")) {
            latest.put(row.get("node") + "/" + row.get("channel") + " " + row.get("unit"), row.get("value") + " " + row.get("quality"));
        }
        assertEquals(Map.of("node-a/ai1 bar", "12.0 GOOD", "node-a/rtd1 degC", "21.2 GOOD", "node-b/ai1 %", "3.0 GOOD",
                "node-1/ai1 bar", "9.5 GOOD", "legacy-2/ai1 bar", (3500 * 10.0 / 4095) + " GOOD"), latest);
        assertEquals(Map.of("node-a", 22.0, "node-b", 3.0, "node-1", 1.0, "legacy-2", 1.0),
                sums(panels.get("Readings per interval/A"), "node"));
        // pipeline health (every site, and dead letters of a topic that names none, stored with site 'unknown'):
        // 16 messages on the data topics (one of them not JSON) and 2 on legacy topics (one unmapped)
        assertEquals(18.0, sums(panels.get("Ingest rate (messages per interval)/A"), "instance").values().stream().mapToDouble(d -> d).sum());
        assertEquals(0.0, sums(panels.get("TSDB write failures and messages in flight/A"), "instance").values().stream().mapToDouble(d -> d).sum());
        assertEquals(2.0, sums(panels.get("Dead letters per interval/A"), "stage").values().stream().mapToDouble(d -> d).sum());
        List<String> topics = rows(panels.get("Latest dead letters/A"), "topic").stream().map(r -> (String) r.get("topic")).sorted().toList();
        assertEquals(List.of("Unknown_Input_9", "iiot/v1/it/node-a/data"), topics);
        assertEquals(Map.of("node-b", 3.0), sums(panels.get("Store-and-forward replays/A"), "node").entrySet().stream()
                .filter(e -> e.getValue() > 0).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertFalse(tagSets(panels.get("TSDB write latency/A"), "instance").isEmpty());
        assertEquals(1.0, maxima(panels.get("Gaps per node/A"), "node").get("node-a"), "node-a's gap, seq 4");
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
                    // 'All' on site and channel (Grafana renders it as a regex alternation of the options, or as
                    // the variable's allValue), one node picked
                    String all = variable.hasNonNull("allValue") ? variable.path("allValue").asText()
                            : "(" + options.stream().map(Pattern::quote).map(GrafanaQueriesIT::regexLiteral).collect(Collectors.joining("|")) + ")";
                    values.put(name, name.equals("node") ? pick(options, "node-a", where) : all);
                }
                case "textbox", "constant", "custom" -> values.put(name, variable.path("query").asText());
                default -> throw new AssertionError(where + ": unexpected variable type " + variable.path("type"));
            }
        }
        return values;
    }

    /** Every panel's query of a dashboard, run with the variables a user would pick: "title/refId" → result. */
    private Map<String, JsonNode> panelResults(Path file) throws Exception {
        JsonNode dashboard = JSON.readTree(file.toFile());
        Map<String, String> variables = variableValues(dashboard, file);
        List<JsonNode> panels = new ArrayList<>();
        collectPanels(dashboard.path("panels"), panels);
        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String key = panel.path("title").asText() + "/" + target.path("refId").asText();
                results.put(key, influx.query(DB, substitute(target.path("query").asText(), variables, "time > now() - 1h", key)));
            }
        }
        return results;
    }

    private static List<String> allDashboardQueries() throws Exception {
        List<String> queries = new ArrayList<>();
        try (Stream<Path> list = Files.list(DASHBOARDS)) {
            for (Path file : list.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = JSON.readTree(file.toFile());
                dashboard.path("templating").path("list").forEach(v -> {
                    if (v.path("type").asText().equals("query")) {
                        queries.add(v.path("query").asText());
                    }
                });
                List<JsonNode> panels = new ArrayList<>();
                collectPanels(dashboard.path("panels"), panels);
                panels.forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("query").asText())));
            }
        }
        return queries;
    }

    /** The tag values of each series, in the order of the given tags. */
    private static java.util.Set<List<String>> tagSets(JsonNode result, String... tags) {
        java.util.Set<List<String>> sets = new java.util.HashSet<>();
        for (JsonNode series : result.path("series")) {
            List<String> values = new ArrayList<>();
            for (String tag : tags) {
                values.add(series.path("tags").path(tag).asText());
            }
            sets.add(values);
        }
        return sets;
    }

    /** The first value column summed over each series' rows, by the given tag (time-bucketed panels). */
    private static Map<String, Double> sums(JsonNode result, String tag) {
        Map<String, Double> sums = new java.util.TreeMap<>();
        for (JsonNode series : result.path("series")) {
            double sum = 0;
            for (JsonNode row : series.path("values")) {
                sum += row.get(1).asDouble(0);
            }
            sums.merge(series.path("tags").path(tag).asText(), sum, Double::sum);
        }
        return sums;
    }

    private static Map<String, Double> maxima(JsonNode result, String tag) {
        Map<String, Double> maxima = new java.util.TreeMap<>();
        for (JsonNode series : result.path("series")) {
            for (JsonNode row : series.path("values")) {
                if (!row.get(1).isNull()) {
                    maxima.merge(series.path("tags").path(tag).asText(), row.get(1).asDouble(), Math::max);
                }
            }
        }
        return maxima;
    }

    /** Every row of every series as column → value, tags included, keeping only the named keys. */
    private static List<Map<String, Object>> rows(JsonNode result, String... keep) {
        List<String> wanted = List.of(keep);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode series : result.path("series")) {
            List<String> columns = new ArrayList<>();
            series.path("columns").forEach(c -> columns.add(c.asText()));
            for (JsonNode values : series.path("values")) {
                Map<String, Object> row = new LinkedHashMap<>();
                series.path("tags").fields().forEachRemaining(t -> {
                    if (wanted.contains(t.getKey())) {
                        row.put(t.getKey(), t.getValue().asText());
                    }
                });
                for (int i = 0; i < columns.size(); i++) {
                    if (wanted.contains(columns.get(i))) {
                        // InfluxDB writes a float without its fraction (8.0 as 8): numbers compare as doubles
                        Object value = JSON.convertValue(values.get(i), Object.class);
                        row.put(columns.get(i), value instanceof Number n ? n.doubleValue() : value);
                    }
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Table panels grouped by site and node: "site/node" → the last row's columns. */
    private static Map<String, Map<String, Object>> byNode(JsonNode result) {
        Map<String, Map<String, Object>> nodes = new java.util.TreeMap<>();
        for (JsonNode series : result.path("series")) {
            List<String> columns = new ArrayList<>();
            series.path("columns").forEach(c -> columns.add(c.asText()));
            JsonNode last = series.path("values").get(series.path("values").size() - 1);
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i < columns.size(); i++) {
                row.put(columns.get(i), JSON.convertValue(last.get(i), Object.class));
            }
            nodes.put(series.path("tags").path("site").asText() + "/" + series.path("tags").path("node").asText(), row);
        }
        return nodes;
    }

    private static Map<String, Integer> column(Map<String, Map<String, Object>> rows, String column) {
        Map<String, Integer> values = new java.util.TreeMap<>();
        rows.forEach((key, row) -> values.put(key, ((Number) row.get(column)).intValue()));
        return values;
    }

    private static Map<String, Integer> ints(Map<String, Object> row) {
        Map<String, Integer> values = new java.util.TreeMap<>();
        row.forEach((key, value) -> values.put(key, ((Number) value).intValue()));
        return values;
    }

    /** The first column of a SHOW statement's result. */
    private static List<String> keys(String db, String show) {
        List<String> keys = new ArrayList<>();
        for (JsonNode series : influx.query(db, show).path("series")) {
            series.path("values").forEach(v -> keys.add(v.get(0).asText()));
        }
        return keys;
    }

    private static Map<String, String> fieldTypes(String db, String measurement) {
        Map<String, String> types = new java.util.TreeMap<>();
        for (JsonNode series : influx.query(db, "SHOW FIELD KEYS FROM \"" + measurement + "\"").path("series")) {
            series.path("values").forEach(v -> types.put(v.get(0).asText(), v.get(1).asText()));
        }
        return types;
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
