package io.iiotroutes.server;

import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decoder against generated extreme-but-valid messages (longest ids of the pattern, any seq up to
 * Long.MAX_VALUE, timestamps at both edges of the clock window, as many readings as the payload limit allows):
 * each decodes to what was sent, within a time bound; the same messages one step past a bound are refused.
 */
class IngestDecoderPropertiesTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final Duration MAX_AGE = Duration.ofDays(30);
    private static final int MAX_PAYLOAD = 65_536;

    private final JsonMessageCodec codec = new JsonMessageCodec();
    private final IngestDecoder decoder = new IngestDecoder(codec, MAX_PAYLOAD, SKEW, MAX_AGE,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Provide
    Arbitrary<String> ids() {
        Arbitrary<Character> first = Arbitraries.chars().range('a', 'z').range('A', 'Z').range('0', '9');
        net.jqwik.api.arbitraries.StringArbitrary rest = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars("_.-")
                .ofMinLength(0).ofMaxLength(63);
        Arbitrary<String> any = Combinators.combine(first, rest).as((f, r) -> f + r);
        return Arbitraries.oneOf(any, rest.ofLength(63).map(r -> "N" + r));   // often the longest id of the pattern
    }

    @Provide
    Arbitrary<Long> timestamps() {
        long newest = NOW.plus(SKEW).toEpochMilli();
        long oldest = NOW.minus(MAX_AGE).toEpochMilli();
        return Arbitraries.oneOf(Arbitraries.longs().between(oldest, newest), Arbitraries.of(oldest, newest, NOW.toEpochMilli()));
    }

    @Provide
    Arbitrary<Long> seqs() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(0L, 1L, Long.MAX_VALUE));
    }

    @Property(tries = 200)
    void extremeButValidMessagesDecodeToWhatWasSent(@ForAll("ids") String site, @ForAll("ids") String node,
                                                    @ForAll("seqs") long seq, @ForAll("timestamps") long ts,
                                                    @ForAll @IntRange(min = 1, max = 2_000) int readingCount,
                                                    @ForAll boolean historical) throws InvalidMessageException {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < readingCount; i++) {
            readings.add(i % 3 == 0 ? new Reading("c" + i, null, "u".repeat(Reading.MAX_UNIT_LENGTH), null, Quality.BAD,
                    "r".repeat(Reading.MAX_REASON_LENGTH))
                    : new Reading("c" + i, i % 2 == 0 ? Double.MAX_VALUE : -Double.MIN_VALUE, "bar", Long.MIN_VALUE,
                    Quality.GOOD, null));
        }
        NodeMessage sent = new NodeMessage(1, site, node, seq, ts, historical, readings);
        byte[] payload = codec.encode(sent);
        String topic = "iiot/v1/" + site + "/" + node + "/data";

        long start = System.nanoTime();
        if (payload.length > MAX_PAYLOAD) {
            InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> decoder.decode(payload, topic));
            assertTrue(e.getMessage().contains("over the limit"), e.getMessage());
        } else {
            assertEquals(sent, decoder.decode(payload, topic));
        }
        long micros = (System.nanoTime() - start) / 1000;
        // a 64 KiB payload decodes in about a millisecond; generous for a cold JIT and a busy machine
        assertTrue(micros < 250_000, "decoding " + payload.length + " bytes took " + micros + " us");
    }

    @Property(tries = 100)
    void oneStepPastABoundIsRefusedWithTheRule(@ForAll("ids") String node, @ForAll @LongRange(min = 1, max = 1_000_000) long past) {
        String topic = "iiot/v1/s/" + node + "/data";
        long newest = NOW.plus(SKEW).toEpochMilli();
        long oldest = NOW.minus(MAX_AGE).toEpochMilli();
        assertRefused("ahead of the server clock", message(node, 1, newest + past, "bar", null), topic);
        assertRefused("older than the allowed", message(node, 1, oldest - past, "bar", null), topic);
        assertRefused("'seq' must be 0 or more", message(node, -past, NOW.toEpochMilli(), "bar", null), topic);
        assertRefused("longer than " + Reading.MAX_UNIT_LENGTH, message(node, 1, NOW.toEpochMilli(),
                "u".repeat(Reading.MAX_UNIT_LENGTH + (int) Math.min(past, 100)), null), topic);
        assertRefused("longer than " + Reading.MAX_REASON_LENGTH, message(node, 1, NOW.toEpochMilli(), "bar",
                "r".repeat(Reading.MAX_REASON_LENGTH + (int) Math.min(past, 100))), topic);
    }

    private byte[] message(String node, long seq, long ts, String unit, String reason) {
        Reading reading = reason == null ? Reading.good("ai1", 1.0, unit, null)
                : new Reading("ai1", null, unit, null, Quality.BAD, reason);
        return codec.encode(NodeMessage.live("s", node, seq, ts, List.of(reading)));
    }

    private void assertRefused(String rule, byte[] payload, String topic) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> decoder.decode(payload, topic));
        assertTrue(e.getMessage().contains(rule), "expected '" + rule + "' in '" + e.getMessage() + "'");
    }
}
