package io.iiotroutes.server;

import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestDecoderTest {

    private final JsonMessageCodec codec = new JsonMessageCodec();
    private final IngestDecoder decoder = new IngestDecoder(codec, 2048);

    private byte[] payload(String site, String node, Reading... readings) {
        return codec.encode(NodeMessage.live(site, node, 1, 1000, List.of(readings)));
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
}
