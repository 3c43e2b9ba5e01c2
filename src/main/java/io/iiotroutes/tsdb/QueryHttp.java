package io.iiotroutes.tsdb;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the two history query implementations share: sending a query over HTTP, and rows from columns and values. */
final class QueryHttp {

    private QueryHttp() {
    }

    static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TsdbQueryException("TSDB not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TsdbQueryException("interrupted", e);
        }
    }

    /** One map per row of {@code values} (an array of arrays), keyed by the column names. */
    static void addRows(List<String> columns, JsonNode values, List<Map<String, JsonNode>> rows) {
        for (JsonNode row : values) {
            Map<String, JsonNode> byColumn = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                byColumn.put(columns.get(i), row.get(i));
            }
            rows.add(byColumn);
        }
    }

    static List<String> columnNames(JsonNode columns, String nameField) {
        List<String> names = new ArrayList<>();
        columns.forEach(c -> names.add(nameField == null ? c.asText() : c.path(nameField).asText()));
        return names;
    }
}
