package io.iiotroutes.server;

import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestDecoderTest {

    private final JsonMessageCodec codec = new JsonMessageCodec();
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final IngestDecoder decoder = new IngestDecoder(codec, 2048, Duration.ofMinutes(5), Duration.ofDays(30),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private byte[] payload(String site, String node, Reading... readings) {
        return payloadAt(NOW.toEpochMilli(), site, node, readings);
    }

    private byte[] payloadAt(long timestamp, String site, String node, Reading... readings) {
        return codec.encode(NodeMessage.live(site, node, 1, timestamp, List.of(readings)));
    }

    @Test
    void boundsTheSourceClockOfANode() throws InvalidMessageException {
        Reading r = Reading.good("ai1", 1, "bar", null);
        decoder.decode(payloadAt(NOW.plusSeconds(299).toEpochMilli(), "s", "n", r), "iiot/v1/s/n/data");
        decoder.decode(payloadAt(NOW.minus(Duration.ofDays(29)).toEpochMilli(), "s", "n", r), "iiot/v1/s/n/data");

        InvalidMessageException future = assertThrows(InvalidMessageException.class, () -> decoder.decode(
                payloadAt(NOW.plusSeconds(301).toEpochMilli(), "s", "n", r), "iiot/v1/s/n/data"));
        assertTrue(future.getMessage().contains("ahead of the server clock"), future.getMessage());
        InvalidMessageException old = assertThrows(InvalidMessageException.class, () -> decoder.decode(
                payloadAt(NOW.minus(Duration.ofDays(31)).toEpochMilli(), "s", "n", r), "iiot/v1/s/n/data"));
        assertTrue(old.getMessage().contains("older than the allowed"), old.getMessage());
    }

    @Test
    void acceptsAMessageOnItsOwnTopic() throws InvalidMessageException {
        NodeMessage message = decoder.decode(payload("s", "n", Reading.good("ai1", 1.5, "bar", 3L)), "iiot/v1/s/n/data");

        assertEquals("n", message.node());
        assertEquals(1.5, message.readings().get(0).value());
    }

    @Test
    void refusesANodeSpeakingForAnother() {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> decoder.decode(payload("s", "other", Reading.good("ai1", 1, "bar", null)), "iiot/v1/s/n/data"));
        assertTrue(e.getMessage().contains("arrived on the topic of s/n"), e.getMessage());
    }

    @Test
    void refusesOversizedEmptyAndForeignInput() {
        assertThrows(InvalidMessageException.class, () -> decoder.decode(new byte[4096], "iiot/v1/s/n/data"));
        assertThrows(InvalidMessageException.class, () -> decoder.decode(new byte[0], "iiot/v1/s/n/data"));
        assertThrows(InvalidMessageException.class,
                () -> decoder.decode(payload("s", "n", Reading.good("ai1", 1, "bar", null)), "iiot/v1/s/n/status"));
    }

    @Test
    void refusesUnsafeOrDuplicateChannelIds() {
        assertThrows(InvalidMessageException.class,
                () -> decoder.decode(payload("s", "n", Reading.good("a i,x=1", 1, "bar", null)), "iiot/v1/s/n/data"));
        assertThrows(InvalidMessageException.class, () -> decoder.decode(
                payload("s", "n", Reading.good("ai1", 1, "bar", null), Reading.good("ai1", 2, "bar", null)),
                "iiot/v1/s/n/data"));
    }

    @Test
    void refusesUnitsThatCouldRewriteALineProtocolRecord() throws InvalidMessageException {
        InvalidMessageException backslash = assertThrows(InvalidMessageException.class, () -> decoder.decode(
                payload("s", "n", Reading.good("ai1", 1, "bar\\", null)), "iiot/v1/s/n/data"));
        assertTrue(backslash.getMessage().contains("backslash"), backslash.getMessage());
        assertThrows(InvalidMessageException.class, () -> decoder.decode(
                payload("s", "n", Reading.good("ai1", 1, "bar\nreading,node=x value=1", null)), "iiot/v1/s/n/data"));
        // spaces, commas, '=' and quotes are escaped by the TSDB client: accepted as text
        assertEquals("m/s, \"x\"=1", decoder.decode(payload("s", "n", Reading.good("ai1", 1, "m/s, \"x\"=1", null)),
                "iiot/v1/s/n/data").readings().get(0).unit());
    }
}
