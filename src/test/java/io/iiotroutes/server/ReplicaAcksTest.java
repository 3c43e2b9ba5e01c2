package io.iiotroutes.server;

import io.iiotroutes.codec.AckCodec;
import io.iiotroutes.model.Acknowledgement;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicaAcksTest {

    private final NodeMonitor nodes = new NodeMonitor(100);
    private final ReplicaAcks acks = new ReplicaAcks(nodes, "replica-a");
    private final AckCodec codec = new AckCodec();

    private void storedHere(long seq) {
        nodes.observe(NodeMessage.live("s", "n", seq, seq * 1000, List.of(Reading.good("ai1", 1.0, "bar", null))));
    }

    private boolean ack(String topic, String by, long first, long last) {
        return acks.received(topic, codec.encode(new Acknowledgement("s", "n", List.<long[]>of(new long[]{first, last}), 1, by)));
    }

    private NodeMonitor.NodeState node() {
        return nodes.nodes().get(0);
    }

    @Test
    void whatTheOtherReplicasAcknowledgedCompletesTheStreamHere() {
        storedHere(1);
        storedHere(5);
        assertEquals(3, node().completeness().gaps());

        assertTrue(ack("iiot/v1/s/n/ack", "replica-b", 2, 4));

        assertEquals(0, node().completeness().gaps());
        assertEquals(5, node().completeness().received());
        assertEquals(2, node().storedHere());
        assertEquals(1, acks.applied());
    }

    @Test
    void itsOwnAcknowledgementsAreNotCountedTwice() {
        storedHere(1);

        assertFalse(ack("iiot/v1/s/n/ack", "replica-a", 1, 1));

        assertEquals(0, node().completeness().duplicates());
        assertEquals(1, node().completeness().received());
    }

    @Test
    void anUnknownNodeOrAnAcknowledgementOnAnotherNodesTopicChangesNothing() {
        assertFalse(ack("iiot/v1/s/n/ack", "replica-b", 1, 10), "a node this replica has not seen is not tracked");
        assertTrue(nodes.nodes().isEmpty());
        storedHere(1);
        assertFalse(ack("iiot/v1/s/other/ack", "replica-b", 2, 2), "the payload names another node than its topic");
        assertFalse(ack("iiot/v1/s/n/data", "replica-b", 2, 2));
        assertEquals(1, node().completeness().received());
    }

    @Test
    void aPayloadThatIsNoAcknowledgementIsCountedAndNeverThrows() {
        storedHere(1);

        assertFalse(acks.received("iiot/v1/s/n/ack", "{".getBytes(StandardCharsets.UTF_8)));
        assertFalse(acks.received("iiot/v1/s/n/ack", null));

        assertEquals(2, acks.refused());
    }
}
