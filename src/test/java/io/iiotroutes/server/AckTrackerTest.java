package io.iiotroutes.server;

import io.iiotroutes.model.Acknowledgement;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AckTrackerTest {

    private final AckTracker acks = new AckTracker("it-replica", Clock.fixed(Instant.ofEpochMilli(5000), ZoneOffset.UTC));

    private void stored(String node, long... seqs) {
        for (long seq : seqs) {
            acks.stored(NodeMessage.live("s", node, seq, 1000, List.of(Reading.good("ai1", 1.0, "bar", null))));
        }
    }

    private static String ranges(Acknowledgement ack) {
        return ack.ranges().stream().map(r -> r[0] + "-" + r[1]).toList().toString();
    }

    @Test
    void storedNumbersBecomeRangesPerNodeInAnyOrder() {
        stored("n1", 1, 2, 3, 7, 5, 6, 10, 3, Long.MAX_VALUE);
        stored("n2", 42);

        List<Acknowledgement> batch = acks.drain();

        assertEquals(2, batch.size());
        assertEquals("[1-3, 5-7, 10-10, " + Long.MAX_VALUE + "-" + Long.MAX_VALUE + "]", ranges(batch.get(0)));
        assertEquals("iiot/v1/s/n1/ack", batch.get(0).topic());
        assertEquals("[42-42]", ranges(batch.get(1)));
        assertTrue(acks.drain().isEmpty(), "a batch is handed out once");
    }

    @Test
    void thePayloadNamesTheNodeAndItsRanges() {
        stored("n1", 4, 5, 9);

        assertEquals("{\"version\":1,\"site\":\"s\",\"node\":\"n1\",\"ranges\":[[4,5],[9,9]],\"ts\":5000,\"by\":\"it-replica\"}",
                new String(acks.encode(acks.drain().get(0)), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aGapFilledLaterJoinsItsNeighbours() {
        stored("n1", 1, 3, 2);

        assertEquals("[1-3]", ranges(acks.drain().get(0)));
    }

    @Test
    void aNodeWithMoreRangesThanOneMessageCarriesGetsSeveral() {
        for (long seq = 0; seq < 2L * io.iiotroutes.codec.AckCodec.MAX_RANGES + 10; seq++) {
            stored("n1", seq * 2);   // every other number: one range each
        }

        List<Acknowledgement> batch = acks.drain();

        assertEquals(3, batch.size());
        assertEquals(io.iiotroutes.codec.AckCodec.MAX_RANGES, batch.get(0).ranges().size());
        assertEquals(10, batch.get(2).ranges().size());
        assertEquals(2L * (2L * io.iiotroutes.codec.AckCodec.MAX_RANGES + 9), batch.get(2).ranges().get(9)[0]);
    }

    @Test
    void batchesThatCannotBePublishedAreCounted() {
        acks.unpublished(new IllegalStateException("Client is not connected"));
        acks.unpublished(new IllegalStateException("Client is not connected"));

        assertEquals(2, acks.unpublishedCount());
    }
}
