package io.iiotroutes.server;

import io.iiotroutes.codec.AckCodec;
import io.iiotroutes.model.Acknowledgement;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.SeqRanges;
import io.iiotroutes.ops.RateLimitedWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's acknowledgements to the nodes (docs/contract.md, acknowledgements): which sequence numbers of each
 * node this server has stored, i.e. whose TSDB write was committed, collected as ranges and handed out in batches
 * ({@link #drain}) to be published on {@code iiot/v1/{site}/{node}/ack}. Every replica acknowledges what it stored,
 * so several replicas on a shared subscription acknowledge every message between them.
 * <p>
 * Bounded: a node's ranges between two drains are at most the messages it had stored in that time, and the nodes
 * are bounded by the per-node limits (a message is admitted before it is stored). A node with more ranges than one
 * message may carry ({@link AckCodec#MAX_RANGES}) gets several messages.
 */
public class AckTracker {

    private static final Logger LOG = LoggerFactory.getLogger(AckTracker.class);
    private static final long UNPUBLISHED_WARNING_MILLIS = 60_000;

    private final AckCodec codec = new AckCodec();
    private final RateLimitedWarning unpublishedWarning = new RateLimitedWarning(LOG, UNPUBLISHED_WARNING_MILLIS);
    private long unpublished;
    private final Clock clock;
    private final String by;
    private final Map<String, SeqRanges> pending = new LinkedHashMap<>();

    /** @param by this replica's name in its acknowledgements (its MQTT client id), so the others know who stored */
    public AckTracker(String by) {
        this(by, Clock.systemUTC());
    }

    AckTracker(String by, Clock clock) {
        this.by = by;
        this.clock = clock;
    }

    /** The message's points are committed to the TSDB: its sequence number is acknowledged with the next batch. */
    public synchronized void stored(NodeMessage message) {
        pending.computeIfAbsent(message.site() + "/" + message.node(), k -> new SeqRanges(Integer.MAX_VALUE))
                .add(message.seq());
    }

    /** Everything acknowledged since the last call, at least one entry per node, and forgets it. */
    public synchronized List<Acknowledgement> drain() {
        if (pending.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        List<Acknowledgement> acks = new ArrayList<>(pending.size());
        pending.forEach((key, ranges) -> {
            String[] siteNode = key.split("/", 2);
            List<long[]> all = ranges.toList();
            for (int from = 0; from < all.size(); from += AckCodec.MAX_RANGES) {
                acks.add(new Acknowledgement(siteNode[0], siteNode[1],
                        all.subList(from, Math.min(all.size(), from + AckCodec.MAX_RANGES)), now, by));
            }
        });
        pending.clear();
        return acks;
    }

    /**
     * A batch could not be published (broker away): the nodes send again what stays unacknowledged. Said at most
     * once a minute with the running count, since the nodes' journals grow meanwhile.
     */
    public synchronized void unpublished(Exception cause) {
        unpublished++;
        unpublishedWarning.warn("Acknowledgements not published (" + cause.getMessage() + "); the nodes will send "
                + "again what stays unacknowledged", unpublished);
    }

    public synchronized long unpublishedCount() {
        return unpublished;
    }

    /** The acknowledgement payload ({@link AckCodec}). */
    public byte[] encode(Acknowledgement ack) {
        return codec.encode(ack);
    }
}
