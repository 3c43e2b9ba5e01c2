package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads rows from a real QuestDB through its HTTP SQL endpoint, as column-name maps. */
final class TsdbRows {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TsdbRows() {
    }

    static List<Map<String, Object>> query(String tsdbUrl, String sql) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                    tsdbUrl + "/exec?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode root = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(sql + " -> " + response.body());
            }
            List<String> columns = new ArrayList<>();
            root.get("columns").forEach(c -> columns.add(c.get("name").asText()));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JsonNode row : root.get("dataset")) {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    map.put(columns.get(i), JSON.treeToValue(row.get(i), Object.class));
                }
                rows.add(map);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Row count of a query, 0 while the table does not exist yet. */
    static long count(String tsdbUrl, String whereClause) {
        try {
            return ((Number) query(tsdbUrl, "SELECT count() c FROM reading WHERE " + whereClause).get(0).get("c")).longValue();
        } catch (IllegalStateException e) {
            return 0;
        }
    }
}
