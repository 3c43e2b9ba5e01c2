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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Debian's InfluxDB 1.x ({@code influxd}, package influxdb) run by a test: loopback only, any free port (read from
 * the "Listening on HTTP" log line), every folder in a temporary directory, reporting disabled.
 */
final class InfluxDb1 implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("msg=\"Listening on HTTP\".*addr=127\\.0\\.0\\.1:(\\d+)");
    private static final String EXECUTABLE = Files.isExecutable(Path.of("/usr/bin/influxd")) ? "/usr/bin/influxd" : "influxd";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private int port;

    InfluxDb1(Path dir) throws IOException {
        this(dir, 0);
    }

    /** @param httpPort the HTTP port, fixed so that a restart (the benchmark's fault step) keeps the URL; 0: any */
    InfluxDb1(Path dir, int httpPort) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("influxdb.conf"), """
                reporting-disabled = true
                bind-address = "127.0.0.1:0"
                [meta]
                  dir = "%1$s/meta"
                [data]
                  dir = "%1$s/data"
                  wal-dir = "%1$s/wal"
                  query-log-enabled = false
                [http]
                  bind-address = "127.0.0.1:%2$d"
                  log-enabled = false
                [monitor]
                  store-enabled = false
                [continuous_queries]
                  enabled = false
                """.formatted(dir.toAbsolutePath(), httpPort));
    }

    /** The server's process id (for its CPU and memory figures). */
    long pid() {
        return process.pid();
    }

    InfluxDb1 start() throws IOException {
        Path log = dir.resolve("influxd.log");
        Files.deleteIfExists(log);
        process = new ProcessBuilder(EXECUTABLE, "run", "-config", dir.resolve("influxdb.conf").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("influxd exited: " + Files.readString(log));
            }
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                return true;
            }
            return false;
        });
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> send(HttpRequest.newBuilder(uri("/ping"))).statusCode() == 204);
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    void createDatabase(String db) {
        command(db, "CREATE DATABASE \"" + db + "\"");
    }

    /** Runs a statement (POST /query) and fails on an error. */
    JsonNode command(String db, String statement) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/query?db=" + enc(db) + "&q=" + enc(statement)))
                .POST(HttpRequest.BodyPublishers.noBody());
        return checked(statement, send(request));
    }

    /** Writes line protocol (ms precision); returns the HTTP status. */
    int write(String db, String lines) {
        return send(HttpRequest.newBuilder(uri("/write?db=" + enc(db) + "&precision=ms"))
                .POST(HttpRequest.BodyPublishers.ofString(lines))).statusCode();
    }

    /** The InfluxQL result of one query: its first statement's result (series, or error). */
    JsonNode query(String db, String influxQl) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/query?epoch=ms&db=" + enc(db) + "&q=" + enc(influxQl))).GET());
        return checked(influxQl, response);
    }

    /** Rows of the first series of a query's result as column → value maps (empty when no series). */
    List<Map<String, Object>> rows(String db, String influxQl) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode series : query(db, influxQl).path("series")) {
            List<String> columns = new ArrayList<>();
            series.path("columns").forEach(c -> columns.add(c.asText()));
            for (JsonNode values : series.path("values")) {
                Map<String, Object> row = new LinkedHashMap<>();
                series.path("tags").fields().forEachRemaining(t -> row.put(t.getKey(), t.getValue().asText()));
                for (int i = 0; i < columns.size(); i++) {
                    row.put(columns.get(i), JSON.convertValue(values.get(i), Object.class));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    long count(String db, String influxQl) {
        List<Map<String, Object>> rows = rows(db, influxQl);
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get("count")).longValue();
    }

    private JsonNode checked(String statement, HttpResponse<String> response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode result = body.path("results").path(0);
            if (response.statusCode() / 100 != 2 || body.has("error") || result.has("error")) {
                throw new IllegalStateException("InfluxDB refused '" + statement + "': " + response.statusCode() + " " + response.body());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create(url() + pathAndQuery);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    void stop() {
        if (process != null) {
            TestProcesses.stopGracefully(process, Duration.ofSeconds(15));
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
