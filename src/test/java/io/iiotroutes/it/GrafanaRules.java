package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our provisioned alert rules (grafana/provisioning/alerting), evaluated the way Grafana evaluates them, over a real
 * InfluxDB: query A (InfluxQL, {@code $timeFilter} = the rule's relative time range), B = reduce A by its last value
 * per series, C = a threshold on B. Every series is one alert instance, labelled with its tags; a query that returns no
 * series puts the rule in its {@code noDataState}. Only the shape our rules use is supported: anything else fails.
 */
final class GrafanaRules {

    static final Path FILE = Path.of("grafana/provisioning/alerting/iiot-alert-rules.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** What one evaluation gives: the rule's state when there was no data, else each instance's B value and firing. */
    record Outcome(String noDataState, Map<Map<String, String>, Double> values, Map<Map<String, String>, Boolean> firing) {

        boolean noData() {
            return noDataState != null;
        }

        /** The label sets of the firing instances. */
        List<Map<String, String>> firingLabels() {
            return firing.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        }

        /** Alerting, Normal or OK (the rule's no-data state), as Grafana would show the rule. */
        String state() {
            if (noData()) {
                return noDataState;
            }
            return firing.containsValue(true) ? "Alerting" : "Normal";
        }
    }

    private final Map<String, JsonNode> rules = new LinkedHashMap<>();

    GrafanaRules() throws IOException {
        for (JsonNode group : YAML.readTree(FILE.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules.put(rule.path("uid").asText(), rule);
            }
        }
    }

    List<String> uids() {
        return List.copyOf(rules.keySet());
    }

    JsonNode rule(String uid) {
        JsonNode rule = rules.get(uid);
        assertTrue(rule != null, "no alert rule " + uid + " in " + FILE);
        return rule;
    }

    Outcome evaluate(InfluxDb1 influx, String db, String uid) {
        JsonNode rule = rule(uid);
        JsonNode query = null;
        JsonNode reduce = null;
        JsonNode threshold = null;
        for (JsonNode data : rule.path("data")) {
            String type = data.path("model").path("type").asText("");
            if (data.path("datasourceUid").asText().equals("iiot-influxdb")) {
                query = data;
            } else if (type.equals("reduce")) {
                reduce = data.path("model");
            } else if (type.equals("threshold")) {
                threshold = data.path("model");
            }
        }
        assertTrue(query != null && reduce != null && threshold != null, uid + ": query, reduce and threshold expected");
        assertEquals("C", rule.path("condition").asText(), uid + ": the condition is the threshold");
        assertEquals("last", reduce.path("reducer").asText(), uid + ": only the 'last' reducer is evaluated here");
        assertEquals(query.path("refId").asText(), reduce.path("expression").asText(), uid);
        assertEquals(reduce.path("refId").asText(), threshold.path("expression").asText(), uid);

        String influxQl = query.path("model").path("query").asText()
                .replace("$timeFilter", "time > now() - " + query.path("relativeTimeRange").path("from").asLong() + "s");
        JsonNode series = influx.query(db, influxQl).path("series");
        if (series.isEmpty()) {
            return new Outcome(rule.path("noDataState").asText(), Map.of(), Map.of());
        }
        JsonNode evaluator = threshold.path("conditions").path(0).path("evaluator");
        String comparison = evaluator.path("type").asText();
        double limit = evaluator.path("params").path(0).asDouble();
        Map<Map<String, String>, Double> values = new LinkedHashMap<>();
        Map<Map<String, String>, Boolean> firing = new LinkedHashMap<>();
        for (JsonNode s : series) {
            Map<String, String> labels = new TreeMap<>();
            s.path("tags").fields().forEachRemaining(t -> labels.put(t.getKey(), t.getValue().asText()));
            JsonNode rows = s.path("values");
            JsonNode last = rows.get(rows.size() - 1).get(1);
            double value = last == null || last.isNull() ? Double.NaN : last.asDouble();
            values.put(labels, value);
            firing.put(labels, switch (comparison) {
                case "gt" -> value > limit;
                case "lt" -> value < limit;
                default -> throw new AssertionError(uid + ": threshold type " + comparison + " not evaluated here");
            });
        }
        return new Outcome(null, values, firing);
    }

    static Map<String, String> labels(String... keyValues) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            labels.put(keyValues[i], keyValues[i + 1]);
        }
        return labels;
    }

    static List<Map<String, String>> list(Map<String, String>... labelSets) {
        return new ArrayList<>(List.of(labelSets));
    }
}
