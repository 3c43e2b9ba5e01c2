package io.iiotroutes.tsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.model.TopicContract;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** History from QuestDB: SQL over its HTTP {@code /exec} endpoint, {@code SAMPLE BY} for the step. */
public class QuestDbHistory implements HistoryQuery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public QuestDbHistory(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    @Override
    public List<HistoryPoint> channel(String site, String node, String channel, Instant from, Instant to,
                                      Duration step, int limit) {
        String where = " FROM reading WHERE site = " + literal(site) + " AND node = " + literal(node)
                + " AND channel = " + literal(channel) + " AND timestamp >= '" + from + "' AND timestamp < '" + to + "'";
        List<HistoryPoint> points = new ArrayList<>();
        if (step == null) {
            for (Map<String, JsonNode> row : rows("SELECT timestamp, value, quality, seq" + where
                    + " ORDER BY timestamp LIMIT " + (limit + 1))) {
                Double value = number(row.get("value"));
                points.add(new HistoryPoint(millis(row.get("timestamp")), value, value, value, 1,
                        text(row.get("quality")), row.get("seq").isNull() ? null : row.get("seq").asLong()));
            }
        } else {
            for (Map<String, JsonNode> row : rows("SELECT timestamp, avg(value) mean, min(value) low, max(value) high,"
                    + " count() n" + where + " SAMPLE BY " + HistoryQuery.stepLiteral(step, true)
                    + " ALIGN TO CALENDAR ORDER BY timestamp LIMIT " + (limit + 1))) {
                points.add(new HistoryPoint(millis(row.get("timestamp")), number(row.get("mean")),
                        number(row.get("low")), number(row.get("high")), row.get("n").asLong(), null, null));
            }
        }
        return points;
    }

    @Override
    public List<AlarmRecord> alarms(Instant from, Instant to, int limit) {
        List<AlarmRecord> records = new ArrayList<>();
        List<Map<String, JsonNode>> rows;
        try {
            rows = rows("SELECT timestamp, site, node, channel, level, event, id, value, threshold FROM alarm"
                    + " WHERE timestamp >= '" + from + "' AND timestamp < '" + to + "' ORDER BY timestamp LIMIT " + (limit + 1));
        } catch (TsdbQueryException e) {
            if (e.getMessage().contains("table does not exist")) {
                return records; // no alarm written yet
            }
            throw e;
        }
        for (Map<String, JsonNode> row : rows) {
            records.add(new AlarmRecord(millis(row.get("timestamp")), text(row.get("site")), text(row.get("node")),
                    text(row.get("channel")), text(row.get("level")), text(row.get("event")),
                    row.get("id").isNull() ? null : row.get("id").asLong(), number(row.get("value")),
                    number(row.get("threshold"))));
        }
        return records;
    }

    private List<Map<String, JsonNode>> rows(String sql) {
        URI uri = URI.create(baseUrl + "/exec?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
        HttpResponse<String> response = QueryHttp.send(http,
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build());
        try {
            JsonNode root = JSON.readTree(response.body());
            if (response.statusCode() != 200 || root.has("error")) {
                if (root.path("error").asText("").contains("table does not exist")) {
                    if (sql.contains(" FROM reading ")) {
                        return List.of(); // nothing stored yet
                    }
                    throw new TsdbQueryException("table does not exist");
                }
                throw new TsdbQueryException("TSDB refused the query (" + response.statusCode() + "): "
                        + root.path("error").asText(response.body()));
            }
            List<Map<String, JsonNode>> rows = new ArrayList<>();
            QueryHttp.addRows(QueryHttp.columnNames(root.path("columns"), "name"), root.path("dataset"), rows);
            return rows;
        } catch (IOException e) {
            throw new TsdbQueryException("unreadable TSDB answer: " + e.getMessage(), e);
        }
    }

    /** Ids are restricted to {@link TopicContract#ID_PATTERN} before they get here; quoting is belt and braces. */
    static String literal(String id) {
        if (!TopicContract.isValidId(id)) {
            throw new IllegalArgumentException("not an id: " + id);
        }
        return "'" + id.replace("'", "''") + "'";
    }

    private static long millis(JsonNode timestamp) {
        return Instant.parse(timestamp.asText()).toEpochMilli();
    }

    private static Double number(JsonNode node) {
        return node == null || node.isNull() || !node.isNumber() ? null : node.asDouble();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
