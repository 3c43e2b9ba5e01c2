package io.iiotroutes.it;

import io.iiotroutes.tsdb.EmbeddedQuestDb;

import java.io.File;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.awaitility.Awaitility.await;

/**
 * QuestDB as a TSDB of the benchmark: the embedded default of our server ({@link EmbeddedQuestDb}, the same
 * settings: one shared, HTTP, PG and WAL-apply worker each), run here as a process of its own
 * ({@code java … io.iiotroutes.it.BenchQuestDb <root> <http port> <pg port>}) so that its CPU is counted in the TSDB
 * column and it can be stopped for the fault step. A fresh instance per system run: our server gets our schema
 * ({@code questdb/schema.sql}, as the embedded one creates it), Node-RED none (its InfluxDB 2.x writes to
 * {@code /api/v2/write} create the table, as they would for a Node-RED user). Stored points are counted through the
 * HTTP {@code /exec} SQL endpoint.
 */
final class BenchQuestDb implements BenchTsdb {

    private final Path dir;
    private final String jvmArgs;
    private final int httpPort = TestPorts.free();
    private final int pgPort = TestPorts.free();
    private Process process;

    /** The QuestDB process itself: an {@link EmbeddedQuestDb} until SIGTERM. */
    public static void main(String[] args) throws Exception {
        EmbeddedQuestDb questDb = new EmbeddedQuestDb(Path.of(args[0]), "127.0.0.1", Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        questDb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(questDb::stop));
        System.out.println("QuestDB up on " + questDb.getHttpUrl());
        new CountDownLatch(1).await();
    }

    BenchQuestDb(Path dir, String jvmArgs) {
        this.dir = dir;
        this.jvmArgs = jvmArgs;
    }

    @Override
    public String name() {
        return "questdb";
    }

    @Override
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    @Override
    public String prepare(String system, String broker) throws Exception {
        stop();
        BenchProc.fresh(dir);
        start();
        if (system.startsWith("ours")) {
            try (InputStream in = EmbeddedQuestDb.class.getClassLoader().getResourceAsStream("questdb/schema.sql")) {
                for (String statement : new String(in.readAllBytes(), StandardCharsets.UTF_8).split(";\\s*\\n")) {
                    String sql = statement.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + "\n" + b).trim();
                    if (!sql.isEmpty()) {
                        ddl(sql);
                    }
                }
            }
        }
        return "reading";
    }

    /** A statement without a result set (QuestDB answers {"ddl":"OK"}). */
    private void ddl(String sql) throws Exception {
        HttpResponse<String> response = BenchSystems.HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/exec?query="
                + URLEncoder.encode(sql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(sql + " -> " + response.body());
        }
    }

    @Override
    public List<String> ourServerArgs(String target) {
        // the InfluxDB v2 write API of QuestDB (org and bucket are ignored; the measurement is the table)
        return List.of("--iiot.tsdb.api=v2", "--iiot.tsdb.url=" + url());
    }

    @Override
    public String nodeRedConfigNode(String target) {
        return """
                {"id":"tsdb","type":"influxdb","name":"bench","influxdbVersion":"2.0","url":"%s","rejectUnauthorized":false,"timeout":"10"}"""
                .formatted(url());
    }

    @Override
    public String nodeRedOutProperties(String target) {
        return ",\"org\":\"iiot\",\"bucket\":\"iiot\",\"precisionV18FluxV20\":\"ms\"";
    }

    @Override
    public long count(String target, String site) {
        try {
            return number(TsdbRows.query(url(), "SELECT count() c FROM " + target + " WHERE site = '" + site + "'"), "c");
        } catch (RuntimeException e) {
            return e.getMessage() != null && e.getMessage().contains("does not exist") ? 0 : -1;
        }
    }

    @Override
    public Map<String, Long> countByNode(String target, String site) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Map<String, Object> row : TsdbRows.query(url(), "SELECT node, count() c FROM " + target + " WHERE site = '" + site + "'")) {
            counts.put(String.valueOf(row.get("node")), ((Number) row.get("c")).longValue());
        }
        return counts;
    }

    @Override
    public long lastSeq(String target, String site, String node) {
        try {
            return number(TsdbRows.query(url(), "SELECT max(seq) s FROM " + target + " WHERE site = '" + site + "' AND node = '" + node + "'"), "s");
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static long number(List<Map<String, Object>> rows, String column) {
        Object value = rows.isEmpty() ? null : rows.get(0).get(column);
        return value == null ? 0 : ((Number) value).longValue();
    }

    @Override
    public void stop() {
        if (process != null) {
            TestProcesses.stopGracefully(process, Duration.ofSeconds(20));
            process = null;
        }
    }

    @Override
    public void start() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(BenchOptions.words(jvmArgs));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchQuestDb.class.getName(),
                dir.toString(), Integer.toString(httpPort), Integer.toString(pgPort)));
        Process started = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolveSibling(dir.getFileName() + ".log").toFile())).start();
        process = started;
        await("QuestDB up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            if (!started.isAlive()) {
                throw new IllegalStateException("QuestDB exited, see " + dir + ".log");
            }
            TsdbRows.query(url(), "SELECT 1");
            return true;
        });
    }
}
