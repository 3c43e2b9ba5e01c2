package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.tsdb.EmbeddedQuestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded QuestDB runs with the settings it is given, as QuestDB itself reports them ({@code SHOW PARAMETERS}):
 * small SQL compiler pools, which grow for a query that needs more; and its log configuration without a line per
 * write.
 */
class EmbeddedQuestDbSettingsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private EmbeddedQuestDb questDb;

    @AfterEach
    void stop() {
        if (questDb != null) {
            questDb.stop();
        }
    }

    @Test
    void smallCompilerPoolsTakeEffectAndGrowForALargeQuery() throws Exception {
        questDb = new EmbeddedQuestDb(dir.resolve("tsdb"), "127.0.0.1", TestPorts.free(), TestPorts.free());
        questDb.start();

        Map<String, String> parameters = new HashMap<>();
        for (JsonNode row : JSON.readTree(questDb.execute("SHOW PARAMETERS")).path("dataset")) {
            parameters.put(row.get(0).asText(), row.get(2).asText() + " from " + row.get(3).asText());
        }
        // every one of them: QuestDB ignores a property it does not know
        assertEquals(List.of(), EmbeddedQuestDb.SMALL_SQL_POOLS.stream()
                .filter(pool -> !"16 from env".equals(parameters.get(pool)))
                .map(pool -> pool + ": " + parameters.get(pool)).toList(), "the pools as QuestDB reports them");

        // a query with more columns, expressions and nested models than the pools hold at start
        questDb.execute("CREATE TABLE wide (ts TIMESTAMP, " + columns(64, " DOUBLE") + ") TIMESTAMP(ts) PARTITION BY DAY WAL");
        questDb.execute("INSERT INTO wide VALUES (now(), " + String.join(", ", java.util.Collections.nCopies(64, "1.5")) + ")");
        String sums = String.join(" + ", java.util.stream.IntStream.range(0, 64).mapToObj(i -> "c" + i).toList());
        String nested = "SELECT ts, " + sums + " AS total FROM wide";
        for (int depth = 0; depth < 20; depth++) {
            nested = "SELECT * FROM (" + nested + ")";
        }
        await(() -> JSON.readTree(questDb.execute("SELECT count() FROM wide")).path("dataset").get(0).get(0).asLong() == 1);
        JsonNode answer = JSON.readTree(questDb.execute(nested));
        assertEquals(96.0, answer.path("dataset").get(0).get(1).asDouble(), answer.toString());

        // (QuestDB takes its log configuration once per JVM, from the first instance: here that may have been another
        // test's, so what this one wrote for its own is checked)
        assertTrue(Files.readAllLines(dir.resolve("tsdb/conf/log.conf")).contains("w.file.level=ERROR,CRITICAL,ADVISORY"),
                "no INFO lines (one per write applied: 170 MB a day in the demo)");
    }

    private static String columns(int count, String type) {
        return String.join(", ", java.util.stream.IntStream.range(0, count).mapToObj(i -> "c" + i + type).toList());
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).ignoreExceptions().until(condition);
    }
}
