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

    private static byte[] status(String json) {
        return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void holdsAStatusTimestampToTheSameClockWindowStampingItOnArrivalOutsideIt() throws InvalidMessageException {
        long now = NOW.toEpochMilli();
        String topic = "iiot/v1/s/n/status";
        long within = NOW.minus(Duration.ofDays(29)).toEpochMilli();
        assertEquals(new NodeStatus("s", "n", "offline", within),
                decoder.decodeStatus(status("{\"state\":\"offline\",\"ts\":" + within + "}"), topic));
        assertEquals(new NodeStatus("s", "n", "online", now + 299_000),
                decoder.decodeStatus(status("{\"state\":\"online\",\"ts\":" + (now + 299_000) + "}"), topic));
        // a last will written when its connection opened, 31 days ago; a node clock far ahead; one at the end of time:
        // each would make a day partition of its own in node_status, so each is recorded as it arrives
        for (long ts : new long[]{NOW.minus(Duration.ofDays(31)).toEpochMilli(), now + 301_000, Long.MAX_VALUE, 0, -5}) {
            assertEquals(new NodeStatus("s", "n", "offline", now),
                    decoder.decodeStatus(status("{\"state\":\"offline\",\"ts\":" + ts + "}"), topic), "ts " + ts);
        }
        assertEquals(now, decoder.decodeStatus(status("{\"state\":\"online\"}"), topic).timestamp(), "no ts");
    }

    @Test
    void refusesAnInvalidStatusWithItsReason() {
        String topic = "iiot/v1/s/n/status";
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("not json", "status payload is not JSON");
        cases.put("{\"state\":\"sleeping\",\"ts\":1}", "status 'state' must be \"online\" or \"offline\", not 'sleeping'");
        cases.put("[1,2]", "status 'state' must be");
        cases.put("{\"state\":\"online\",\"ts\":\"yesterday\"}", "status 'ts' must be epoch milliseconds");
        cases.put("{\"state\":\"online\",\"ts\":1e400}", "status 'ts' must be epoch milliseconds");
        cases.put("", "empty status payload");
        cases.put("{\"state\":\"online\",\"pad\":\"" + "x".repeat(5000) + "\"}", "status payload of 5027 bytes is over the limit of 4096");
        cases.forEach((payload, reason) -> {
            InvalidMessageException e = assertThrows(InvalidMessageException.class,
                    () -> decoder.decodeStatus(status(payload), topic), payload);
            assertTrue(e.getMessage().startsWith(reason), e.getMessage());
        });
        assertThrows(InvalidMessageException.class, () -> decoder.decodeStatus(status("{\"state\":\"online\"}"), "iiot/v1/s/n/data"));
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
