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
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * History from InfluxDB through InfluxQL ({@code GET /query}, {@code GROUP BY time()} for the step): InfluxDB 1.x,
 * or InfluxDB 2.x through its v1 compatibility API (database/retention policy mapped to the bucket, token auth).
 */
public class InfluxQlHistory implements HistoryQuery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String database;
    private final String retentionPolicy;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param authorization value of the Authorization header ({@link #basic} or {@link #token}), or null
     */
    public InfluxQlHistory(String baseUrl, String database, String retentionPolicy, String authorization) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.database = database;
        this.retentionPolicy = retentionPolicy == null || retentionPolicy.isBlank() ? null : retentionPolicy;
        this.authorization = authorization;
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + (password == null ? "" : password))
                .getBytes(StandardCharsets.UTF_8));
    }

    public static String token(String token) {
        return "Token " + token;
    }

    @Override
    public List<HistoryPoint> channel(String site, String node, String channel, Instant from, Instant to,
                                      Duration step, int limit) {
        String where = " FROM " + measurement("reading") + " WHERE site = " + literal(site) + " AND node = "
                + literal(node) + " AND channel = " + literal(channel) + " AND time >= " + from.toEpochMilli()
                + "ms AND time < " + to.toEpochMilli() + "ms";
        List<HistoryPoint> points = new ArrayList<>();
        if (step == null) {
            for (Map<String, JsonNode> row : rows("SELECT value, quality, seq" + where + " ORDER BY time ASC LIMIT " + (limit + 1))) {
                Double value = number(row.get("value"));
                points.add(new HistoryPoint(row.get("time").asLong(), value, value, value, 1,
                        text(row.get("quality")), row.get("seq") == null || row.get("seq").isNull() ? null : row.get("seq").asLong()));
            }
        } else {
            for (Map<String, JsonNode> row : rows("SELECT mean(value) AS mean, min(value) AS low, max(value) AS high,"
                    + " count(quality) AS n" + where + " GROUP BY time(" + HistoryQuery.stepLiteral(step, false)
                    + ") fill(none) LIMIT " + (limit + 1))) {
                points.add(new HistoryPoint(row.get("time").asLong(), number(row.get("mean")), number(row.get("low")),
                        number(row.get("high")), row.get("n") == null ? 0 : row.get("n").asLong(), null, null));
            }
        }
        return points;
    }

    @Override
    public List<AlarmRecord> alarms(Instant from, Instant to, int limit) {
        List<AlarmRecord> records = new ArrayList<>();
        for (Map<String, JsonNode> row : rows("SELECT site, node, channel, level, event, id, value, threshold FROM "
                + measurement("alarm") + " WHERE time >= " + from.toEpochMilli() + "ms AND time < " + to.toEpochMilli()
                + "ms ORDER BY time ASC LIMIT " + (limit + 1))) {
            records.add(new AlarmRecord(row.get("time").asLong(), text(row.get("site")), text(row.get("node")),
                    text(row.get("channel")), text(row.get("level")), text(row.get("event")),
                    row.get("id") == null || row.get("id").isNull() ? null : row.get("id").asLong(),
                    number(row.get("value")), number(row.get("threshold"))));
        }
        return records;
    }

    private String measurement(String name) {
        return retentionPolicy == null ? name : "\"" + retentionPolicy.replace("\"", "") + "\"." + name;
    }

    private List<Map<String, JsonNode>> rows(String influxQl) {
        URI uri = URI.create(baseUrl + "/query?epoch=ms&db=" + URLEncoder.encode(database, StandardCharsets.UTF_8)
                + "&q=" + URLEncoder.encode(influxQl, StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = QueryHttp.send(http, request.build());
        try {
            JsonNode root = JSON.readTree(response.body());
            JsonNode result = root.path("results").path(0);
            if (response.statusCode() / 100 != 2 || root.has("error") || result.has("error")) {
                throw new TsdbQueryException("TSDB refused the query (" + response.statusCode() + "): "
                        + (root.has("error") ? root.get("error").asText() : result.path("error").asText(response.body())));
            }
            List<Map<String, JsonNode>> rows = new ArrayList<>();
            for (JsonNode series : result.path("series")) {
                QueryHttp.addRows(QueryHttp.columnNames(series.path("columns"), null), series.path("values"), rows);
            }
            return rows;
        } catch (IOException e) {
            throw new TsdbQueryException("unreadable TSDB answer (" + response.statusCode() + "): " + e.getMessage(), e);
        }
    }

    static String literal(String id) {
        if (!TopicContract.isValidId(id)) {
            throw new IllegalArgumentException("not an id: " + id);
        }
        return "'" + id.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static Double number(JsonNode node) {
        return node == null || node.isNull() || !node.isNumber() ? null : node.asDouble();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
