package io.iiotroutes.tsdb;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HistoryQueryTest {

    @Test
    void stepsRenderAsTheLargestWholeUnit() {
        assertEquals("2h", HistoryQuery.stepLiteral(Duration.ofHours(2), true));
        assertEquals("90m", HistoryQuery.stepLiteral(Duration.ofMinutes(90), false));
        assertEquals("10s", HistoryQuery.stepLiteral(Duration.ofSeconds(10), true));
        assertEquals("1500T", HistoryQuery.stepLiteral(Duration.ofMillis(1500), true), "QuestDB's millisecond unit");
        assertEquals("1500ms", HistoryQuery.stepLiteral(Duration.ofMillis(1500), false));
        assertEquals("24h", HistoryQuery.stepLiteral(Duration.ofDays(1), true));
    }

    @Test
    void onlyIdsBecomeLiterals() {
        assertEquals("'node-1'", QuestDbHistory.literal("node-1"));
        assertEquals("'ai.1_x'", InfluxQlHistory.literal("ai.1_x"));
        assertThrows(IllegalArgumentException.class, () -> QuestDbHistory.literal("x' OR '1'='1"));
        assertThrows(IllegalArgumentException.class, () -> InfluxQlHistory.literal("a\\"));
    }

    @Test
    void authorizationHeaders() {
        assertEquals("Token abc", InfluxQlHistory.token("abc"));
        assertEquals("Basic dTpw", InfluxQlHistory.basic("u", "p"));
    }
}
