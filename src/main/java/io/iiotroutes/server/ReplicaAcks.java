package io.iiotroutes.server;

import io.iiotroutes.codec.AckCodec;
import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.model.Acknowledgement;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.ops.RateLimitedWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the other server replicas stored, from their acknowledgements to the nodes ({@code iiot/v1/+/+/ack}, every
 * replica subscribed without sharing): each replica stores only its share of a node's stream, and counts the rest as
 * stored when a peer acknowledges it, so every replica's completeness covers the whole stream. This replica's own
 * acknowledgements (named by {@code by}) are skipped: it counted those when it stored them.
 */
public class ReplicaAcks {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaAcks.class);

    private final AckCodec codec = new AckCodec();
    private final NodeMonitor nodes;
    private final String self;
    private final RateLimitedWarning unreadable = new RateLimitedWarning(LOG, 60_000);
    private final LongAdder applied = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /** @param self this replica's name in its own acknowledgements (its MQTT client id) */
    public ReplicaAcks(NodeMonitor nodes, String self) {
        this.nodes = nodes;
        this.self = self;
    }

    /** One acknowledgement seen on the broker; returns whether it counted here. Never throws. */
    public boolean received(String topic, byte[] payload) {
        Acknowledgement ack;
        try {
            ack = codec.decode(payload == null ? new byte[0] : payload);
        } catch (InvalidMessageException e) {
            refused.increment();
            unreadable.warn("An acknowledgement on " + topic + " is not one (" + e.getMessage() + ")", refused.sum());
            return false;
        }
        boolean onItsTopic = TopicContract.parse(topic)
                .filter(a -> a.kind().equals("ack") && a.site().equals(ack.site()) && a.node().equals(ack.node()))
                .isPresent();
        if (!onItsTopic || ack.by().equals(self)) {
            return false;
        }
        boolean known = nodes.storedElsewhere(ack.site(), ack.node(), ack.ranges());
        if (known) {
            applied.increment();
        }
        return known;
    }

    /** Acknowledgements of other replicas counted here. */
    public long applied() {
        return applied.sum();
    }

    /** Payloads on an acknowledgement topic that were not acknowledgements. */
    public long refused() {
        return refused.sum();
    }
}
