package io.iiotroutes.server;

import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LegacyTopicsTest {

    private static final long NOW = 1763928000123L;
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private LegacyTopics topics(String yaml) throws Exception {
        Path file = dir.resolve("legacy.yaml");
        Files.writeString(file, yaml);
        return new LegacyTopics(LegacyTopics.load(file), clock);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void scalesARawCountLinearlyIntoTheMappedChannel() throws Exception {
        LegacyTopics legacy = topics("""
                topics:
                  Node2_Input_1: { site: plant, node: node-2, channel: ai1, unit: bar, raw: [0, 4000], range: [0, 10] }
                """);

        NodeMessage message = legacy.decode(bytes("3500"), "Node2_Input_1");

        assertEquals(NodeMessage.live("plant", "node-2", 1, NOW,
                List.of(new Reading("ai1", 8.75, "bar", 3500L, Quality.GOOD, null))), message);
    }

    @Test
    void numbersEachNodeFromOneAndKeepsFractionalPayloadsWithoutRawCounts() throws Exception {
        LegacyTopics legacy = topics("""
                topics:
                  N1_T: { site: s, node: n1, channel: t, unit: degC }
                  N1_P: { site: s, node: n1, channel: p, unit: bar, raw: [4, 20], range: [0, 16] }
                  N2_T: { site: s, node: n2, channel: t, unit: degC }
                """);

        NodeMessage first = legacy.decode(bytes(" 21.5\n"), "N1_T");
        NodeMessage second = legacy.decode(bytes("12.0"), "N1_P");
        NodeMessage other = legacy.decode(bytes("-3"), "N2_T");

        assertEquals(new Reading("t", 21.5, "degC", null, Quality.GOOD, null), first.readings().get(0));
        assertEquals(new Reading("p", 8.0, "bar", 12L, Quality.GOOD, null), second.readings().get(0));
        assertEquals(new Reading("t", -3.0, "degC", -3L, Quality.GOOD, null), other.readings().get(0));
        assertEquals(List.of(1L, 2L, 1L), List.of(first.seq(), second.seq(), other.seq()));
        assertFalse(first.historical());
    }

    @Test
    void aNumberOutsideTheRawRangeIsStoredAsUncertain() throws Exception {
        LegacyTopics legacy = topics("""
                topics:
                  N_P: { site: s, node: n, channel: p, unit: bar, raw: [0, 4095], range: [0, 10] }
                """);

        Reading reading = legacy.decode(bytes("5000"), "N_P").readings().get(0);

        assertEquals(Quality.UNCERTAIN, reading.quality());
        assertEquals("raw 5000 outside 0..4095", reading.reason());
        assertEquals(5000 * 10.0 / 4095, reading.value(), 1e-9);
    }

    @Test
    void refusesUnmappedTopicsAndPayloadsThatAreNotFiniteNumbers() throws Exception {
        LegacyTopics legacy = topics("""
                topics:
                  N_P: { site: s, node: n, channel: p, unit: bar }
                """);

        assertTrue(assertThrows(InvalidMessageException.class, () -> legacy.decode(bytes("1"), "N_Q"))
                .getMessage().contains("no mapping for legacy topic 'N_Q'"));
        assertTrue(assertThrows(InvalidMessageException.class, () -> legacy.decode(bytes("on"), "N_P"))
                .getMessage().contains("is not a number: 'on'"));
        assertThrows(InvalidMessageException.class, () -> legacy.decode(bytes(""), "N_P"));
        assertThrows(InvalidMessageException.class, () -> legacy.decode(bytes("NaN"), "N_P"));
        assertThrows(InvalidMessageException.class, () -> legacy.decode(bytes("1e400"), "N_P"));
    }

    @Test
    void aPayloadLongerThanANumberIsRefusedBeforeItIsParsed() throws Exception {
        LegacyTopics legacy = topics("""
                topics:
                  N_P: { site: s, node: n, channel: p, unit: bar }
                """);
        String longest = " ".repeat(LegacyTopics.MAX_PAYLOAD_BYTES - 5) + "3500";
        assertEquals(3500.0, legacy.decode(bytes(longest), "N_P").readings().get(0).value());

        byte[] digits = "7".repeat(200_000).getBytes(StandardCharsets.US_ASCII);   // a number whose parsing costs O(n^2)
        long start = System.nanoTime();
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> legacy.decode(digits, "N_P"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("legacy payload on 'N_P' is 200000 bytes; a bare number is at most 256", e.getMessage());
        assertTrue(millis < 100, "refused after " + millis + " ms");
    }

    @Test
    void refusesAMappingFileWithUnsafeIdsOrHalfAScaling() {
        assertThrows(IllegalArgumentException.class, () -> topics("""
                topics:
                  A: { site: s, node: "bad node", channel: c, unit: V }
                """));
        assertThrows(IllegalArgumentException.class, () -> topics("""
                topics:
                  A: { site: s, node: n, channel: c, unit: V, raw: [0, 10] }
                """));
        assertThrows(IllegalArgumentException.class, () -> topics("""
                topics:
                  "A/#": { site: s, node: n, channel: c, unit: V }
                """));
        assertThrows(Exception.class, () -> topics("""
                topics:
                  A: { site: s, node: n, channel: c, unit: V, scale: 2 }
                """));
    }

    @Test
    void theShippedExampleFileIsValid() throws Exception {
        Map<String, LegacyTopics.Mapping> shipped = LegacyTopics.load(Path.of("config/legacy-topics.yaml"));
        assertEquals("legacy-node-2", shipped.get("Node2_Input_1").node());
        NodeMessage message = new LegacyTopics(shipped, clock).decode(bytes("3500"), "Node2_Input_1");
        assertEquals(3500 * 10.0 / 4095, message.readings().get(0).value(), 1e-9);
    }

    @Test
    void disabledItNeedsNoFile() throws Exception {
        assertTrue(new LegacyTopics(dir.resolve("missing.yaml").toString(), false).topics().isEmpty());
    }
}
