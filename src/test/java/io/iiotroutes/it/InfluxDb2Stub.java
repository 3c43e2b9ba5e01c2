package io.iiotroutes.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * InfluxDB 2.7's HTTP protocol as our server meets it, recorded from the InfluxDB v2.7.11 source (docs/deployment.md,
 * "InfluxDB 2 differences"), where a real InfluxDB 2 cannot run (no container engine, not in Debian):
 * <ul>
 *     <li>{@code GET /ping}: 204 with {@code X-Influxdb-Version}, no authentication;</li>
 *     <li>{@code POST /api/v2/write?org=&bucket=&precision=}: {@code Authorization: Token <t>} (or {@code Bearer}),
 *     else 401 {@code {"code":"unauthorized","message":"unauthorized access"}}; an unknown bucket 404
 *     {@code {"code":"not found","message":"bucket \"x\" not found"}}; a line that does not parse rejects the whole
 *     request, 400 {@code {"code":"invalid","message":"unable to parse '<line>': <why>"}}; a point whose field has
 *     another type than the bucket holds is dropped while the others are stored, 422 {@code {"code":"unprocessable
 *     entity","message":"failure writing points to database: partial write: field type conflict: ... dropped=1"}};
 *     a point with the same series and time replaces the earlier one; default precision ns;</li>
 *     <li>{@code GET /query?db=&q=} (v1 compatibility): the same token, else 401 {@code Unauthorized}; here it answers
 *     every query with the recorded {@link #queryAnswer}.</li>
 * </ul>
 * Every request is recorded for the test to read its shape.
 */
final class InfluxDb2Stub implements AutoCloseable {

    record Request(String method, String path, Map<String, String> query, String authorization, String body) {
    }

    private final HttpServer server;
    private final String token;
    private final String bucket;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Stored points: "measurement,tags time" → the line (later ones replace earlier ones, as in InfluxDB). */
    private final Map<String, String> points = new ConcurrentHashMap<>();
    /** The type of each measurement's field as first written ("float", "integer", "string", "boolean"). */
    private final Map<String, String> fieldTypes = new ConcurrentHashMap<>();
    volatile boolean acceptToken = true;
    volatile String queryAnswer = "{\"results\":[{\"statement_id\":0}]}";

    InfluxDb2Stub(String token, String bucket) throws IOException {
        this.token = token;
        this.bucket = bucket;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Stored lines of a measurement. */
    List<String> stored(String measurement) {
        return points.values().stream().filter(l -> l.startsWith(measurement + ",")).sorted().toList();
    }

    /** As if an earlier writer had written this field of the measurement with another type. */
    void fieldTypeExists(String measurement, String field, String type) {
        fieldTypes.put(measurement + "." + field, type);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> query = parameters(exchange.getRequestURI().getRawQuery());
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), path, query, authorization, body));
            switch (path) {
                case "/ping" -> {
                    exchange.getResponseHeaders().add("X-Influxdb-Version", "v2.7.11");
                    exchange.getResponseHeaders().add("X-Influxdb-Build", "OSS");
                    exchange.sendResponseHeaders(204, -1);
                }
                case "/api/v2/write" -> write(exchange, query, authorization, body);
                case "/query" -> {
                    if (!authorized(authorization)) {
                        answer(exchange, 401, "{\"code\":\"unauthorized\",\"message\":\"Unauthorized\"}");
                    } else {
                        answer(exchange, 200, queryAnswer);
                    }
                }
                default -> answer(exchange, 404, "{\"code\":\"not found\",\"message\":\"path not found\"}");
            }
        }
    }

    private boolean authorized(String authorization) {
        return acceptToken && authorization != null
                && (authorization.equals("Token " + token) || authorization.equals("Bearer " + token));
    }

    private void write(HttpExchange exchange, Map<String, String> query, String authorization, String body) throws IOException {
        if (!authorized(authorization)) {
            answer(exchange, 401, "{\"code\":\"unauthorized\",\"message\":\"unauthorized access\"}");
            return;
        }
        if (!bucket.equals(query.get("bucket"))) {
            answer(exchange, 404, "{\"code\":\"not found\",\"message\":\"bucket \\\"" + query.get("bucket") + "\\\" not found\"}");
            return;
        }
        List<String[]> parsed = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = splitLine(line);
            if (parts == null) {
                answer(exchange, 400, "{\"code\":\"invalid\",\"message\":\"unable to parse '" + line.replace("\"", "\\\"")
                        + "': missing fields\"}");
                return;
            }
            parsed.add(parts);
        }
        int dropped = 0;
        String conflict = null;
        for (String[] p : parsed) {
            String measurement = p[0].split(",", 2)[0];
            String clash = typeConflict(measurement, p[1]);
            if (clash != null) {
                dropped++;
                conflict = clash;
                continue;
            }
            points.put(p[0] + " " + p[2], p[0] + " " + p[1] + " " + p[2]);
        }
        if (dropped > 0) {
            answer(exchange, 422, "{\"code\":\"unprocessable entity\",\"message\":\"failure writing points to database: "
                    + "partial write: " + conflict + " dropped=" + dropped + "\"}");
            return;
        }
        exchange.sendResponseHeaders(204, -1);
    }

    /** "field type conflict: ..." for the first field of another type than stored, else null (and types recorded). */
    private String typeConflict(String measurement, String fields) {
        Map<String, String> types = new LinkedHashMap<>();
        for (String field : fields.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            String[] kv = field.split("=", 2);
            String v = kv[1];
            types.put(kv[0], v.startsWith("\"") ? "string" : v.endsWith("i") ? "integer"
                    : v.equals("true") || v.equals("false") ? "boolean" : "float");
        }
        for (Map.Entry<String, String> e : types.entrySet()) {
            String existing = fieldTypes.get(measurement + "." + e.getKey());
            if (existing != null && !existing.equals(e.getValue())) {
                return "field type conflict: input field \\\"" + e.getKey() + "\\\" on measurement \\\"" + measurement
                        + "\\\" is type " + e.getValue() + ", already exists as type " + existing;
            }
        }
        types.forEach((field, type) -> fieldTypes.putIfAbsent(measurement + "." + field, type));
        return null;
    }

    /** measurement+tags, fields, time; null when the line lacks fields. Enough for the lines our server writes. */
    private static String[] splitLine(String line) {
        List<Integer> spaces = new ArrayList<>();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                spaces.add(i);
            }
        }
        if (spaces.size() != 2) {
            return null;
        }
        return new String[]{line.substring(0, spaces.get(0)), line.substring(spaces.get(0) + 1, spaces.get(1)),
                line.substring(spaces.get(1) + 1)};
    }

    private static Map<String, String> parameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                String[] kv = pair.split("=", 2);
                parameters.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return parameters;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().add("X-Platform-Error-Code", status == 401 ? "unauthorized"
                : status == 404 ? "not found" : status == 400 ? "invalid" : "unprocessable entity");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
