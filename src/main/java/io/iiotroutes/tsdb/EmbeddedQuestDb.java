package io.iiotroutes.tsdb;

import io.questdb.ServerMain;
import io.questdb.log.LogFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * QuestDB running inside this JVM: the embedded default time-series database. It accepts the InfluxDB v2 write API
 * on its HTTP port, serves its web console there, and speaks PostgreSQL wire on a second port.
 * <p>
 * An object with an explicit {@link #start()} and {@link #stop()}: QuestDB's worker threads are not daemons, so an
 * instance that is never stopped keeps the JVM alive.
 */
public class EmbeddedQuestDb implements AutoCloseable {

    private static final long IDLE_SLEEP_MILLIS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedQuestDb.class);

    private final Path root;
    private final String bindAddress;
    private final int httpPort;
    private final int pgPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ServerMain server;

    /**
     * @param root        folder holding QuestDB's conf/ and db/ (created if missing)
     * @param bindAddress address the HTTP and PG ports bind to
     * @param httpPort    HTTP port (write API and web console); 0 picks a free one
     * @param pgPort      PostgreSQL wire port; 0 picks a free one
     */
    public EmbeddedQuestDb(Path root, String bindAddress, int httpPort, int pgPort) {
        this.root = root;
        this.bindAddress = bindAddress;
        this.httpPort = httpPort;
        this.pgPort = pgPort;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            Files.createDirectories(root.resolve("conf"));
            writeQuietLogConfig(root.resolve("conf/log.conf"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare QuestDB folder " + root, e);
        }
        // QuestDB reads <root>/conf/log.conf only when told its root before its logging starts
        LogFactory.configureRootDir(root.toAbsolutePath().toString());
        Map<String, String> env = new HashMap<>();
        env.put("QDB_HTTP_NET_BIND_TO", bindAddress + ":" + httpPort);
        env.put("QDB_PG_NET_BIND_TO", bindAddress + ":" + pgPort);
        // Ingestion comes through the HTTP write API only: no raw ILP/TCP or UDP listener to secure.
        env.put("QDB_LINE_TCP_ENABLED", "false");
        env.put("QDB_LINE_UDP_ENABLED", "false");
        env.put("QDB_HTTP_MIN_ENABLED", "false");
        env.put("QDB_TELEMETRY_ENABLED", "false");
        env.put("QDB_SHARED_WORKER_COUNT", "1");
        env.put("QDB_HTTP_WORKER_COUNT", "1");
        env.put("QDB_PG_WORKER_COUNT", "1");
        env.put("QDB_WAL_APPLY_WORKER_COUNT", "1");
        env.put("QDB_SHARED_NETWORK_WORKER_COUNT", "1");
        env.put("QDB_SHARED_QUERY_WORKER_COUNT", "1");
        env.put("QDB_SHARED_WRITE_WORKER_COUNT", "1");
        env.put("QDB_MAT_VIEW_REFRESH_WORKER_COUNT", "1");
        env.put("QDB_VIEW_COMPILER_WORKER_COUNT", "1");
        env.put("QDB_EXPORT_WORKER_COUNT", "1");
        quietWhenIdle(env);
        smallSqlPools(env);
        ServerMain created = ServerMain.create(root.toAbsolutePath().toString(), env);
        try {
            created.start();
        } catch (RuntimeException e) {
            created.close();
            throw e;
        }
        server = created;
        LOG.info("Embedded QuestDB started: console http://{}:{}/ (PG wire {})", bindAddress, getHttpPort(), getPgPort());
    }

    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
            LOG.info("Embedded QuestDB stopped");
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public int getHttpPort() {
        return server == null ? httpPort : server.getHttpServerPort();
    }

    public int getPgPort() {
        return server == null ? pgPort : server.getPgWireServerPort();
    }

    /** The base URL of the HTTP API: what an InfluxDB v2 client connects to. */
    public String getHttpUrl() {
        String host = "0.0.0.0".equals(bindAddress) ? "127.0.0.1" : bindAddress;
        return "http://" + host + ":" + getHttpPort();
    }

    /**
     * Runs one SQL statement through the HTTP {@code /exec} endpoint and returns QuestDB's JSON answer.
     *
     * @throws IllegalStateException when QuestDB answers with an error
     */
    public String execute(String sql) {
        URI uri = URI.create(getHttpUrl() + "/exec?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("QuestDB rejected SQL (" + response.statusCode() + "): " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running SQL", e);
        }
    }

    /** Runs every statement of a classpath SQL script; statements are separated by semicolons at line ends. */
    public void executeScript(String classpathResource) {
        String script;
        try (InputStream in = EmbeddedQuestDb.class.getClassLoader().getResourceAsStream(classpathResource)) {
            if (in == null) {
                throw new IllegalArgumentException("no such resource: " + classpathResource);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String statement : script.split(";\\s*\\n")) {
            String sql = statement.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + "\n" + b).trim();
            if (!sql.isEmpty()) {
                execute(sql);
            }
        }
    }

    /**
     * QuestDB's worker threads poll for work: after the last job they spin, then yield, then nap, and only after
     * thousands of empty rounds sleep between polls. With a write every second or so they seldom get that far, and a
     * quiet embedded QuestDB burnt a quarter of a core in a dozen pollers (docs/performance.md). Here they sleep
     * after a few empty rounds; under load they never run out of work, so throughput does not change. A write to an
     * idle QuestDB may wait up to one sleep ({@value #IDLE_SLEEP_MILLIS} ms) to be picked up.
     */
    private static void quietWhenIdle(Map<String, String> env) {
        for (String pool : List.of("SHARED_WORKER", "HTTP_WORKER", "PG_WORKER", "WAL_APPLY_WORKER", "MAT_VIEW_REFRESH_WORKER",
                "EXPORT_WORKER", "VIEW_COMPILER_WORKER")) {
            env.put("QDB_" + pool + "_YIELD_THRESHOLD", "10");
            env.put("QDB_" + pool + "_NAP_THRESHOLD", "20");
            env.put("QDB_" + pool + "_SLEEP_THRESHOLD", "30");
            env.put("QDB_" + pool + "_SLEEP_TIMEOUT", String.valueOf(IDLE_SLEEP_MILLIS));
        }
    }

    /**
     * QuestDB fills the object pools of every SQL compiler at start (query models, expression nodes, lexer tokens,
     * columns), sized for a server that compiles large queries on many threads: with a handful of compilers that
     * was about 70 MB of the demo's live heap (180 → 113 MB), held whether a query ever ran or not. The pools grow
     * when a query needs more, so small ones only cost an allocation the first time a large query comes.
     */
    static void smallSqlPools(Map<String, String> env) {
        for (String pool : SMALL_SQL_POOLS) {
            env.put("QDB_" + pool.toUpperCase(Locale.ROOT).replace('.', '_'), "16");
        }
    }

    /** The QuestDB properties {@link #smallSqlPools} sets. */
    public static final List<String> SMALL_SQL_POOLS = List.of("cairo.model.pool.capacity", "cairo.expression.pool.capacity",
            "cairo.lexer.pool.capacity", "cairo.column.pool.capacity", "cairo.sql.view.lexer.pool.capacity",
            "cairo.sql.window.column.pool.capacity", "cairo.sql.analytic.column.pool.capacity",
            "cairo.sql.insert.model.pool.capacity", "cairo.sql.copy.model.pool.capacity",
            "cairo.sql.rename.table.model.pool.capacity", "cairo.sql.with.clause.model.pool.capacity",
            "cairo.create.table.column.model.pool.capacity",
            "cairo.sql.explain.model.pool.capacity", "cairo.sql.join.context.pool.capacity",
            "cairo.character.store.sequence.pool.capacity");

    private static void writeQuietLogConfig(Path file) throws IOException {
        // QuestDB logs every request at INFO to stdout by default, and its ADVISORY start-up lines reach every writer
        // whatever its level: all of it goes to a file. Its INFO lines (every write applied, every table writer
        // opened) grew that file by about 2 KB/s with the demo's two nodes, 170 MB a day, and the file never rolls:
        // errors and start-up lines only. What matters to an operator (a refused or failed write) is logged by the
        // application, and the TSDB health check reports an unreachable database.
        String config = """
                writers=file
                w.file.class=io.questdb.log.LogFileWriter
                w.file.location=${log.dir}/questdb.log
                w.file.level=ERROR,CRITICAL,ADVISORY
                """;
        Files.writeString(file, config);
    }
}
