package io.iiotroutes.edge.forward;

import io.iiotroutes.codec.AckCodec;
import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.model.Acknowledgement;
import io.iiotroutes.model.SeqRanges;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.ops.RateLimitedWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What the server has acknowledged of one node's messages, and the journal entries that lets go
 * (docs/delivery-edge.md, server acknowledgements). Acknowledgements arrive on Paho's callback thread
 * ({@link #received}: decoded, clipped to the highest seq this process has sent, remembered; never throws); the
 * replay thread lets the journal forget ({@link #forget}). Bounded: at most {@link AckCodec#MAX_RANGES} ranges
 * decoded per message and {@link #MAX_RANGES} kept; beyond, the highest are forgotten and simply sent again.
 */
final class AcknowledgementWindow {

    /** Acknowledged numbers kept ahead of the journal's head (a lost head entry). */
    static final int MAX_RANGES = 4096;
    private static final long INVALID_WARNING_MILLIS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(AcknowledgementWindow.class);

    private final String site;
    private final String node;
    private final AckCodec codec = new AckCodec();
    private final SeqRanges acknowledged = new SeqRanges(MAX_RANGES);
    private final RateLimitedWarning invalidWarning = new RateLimitedWarning(LOG, INVALID_WARNING_MILLIS);
    private final AtomicLong invalid = new AtomicLong();
    /** Highest seq this process has sent: an acknowledgement of anything above it cannot be honest. */
    private volatile long highestSent = -1;
    private volatile boolean pending;

    AcknowledgementWindow(String site, String node) {
        this.site = site;
        this.node = node;
    }

    /** A message with this seq went to the broker. */
    void sent(long seq) {
        if (seq > highestSent) {
            highestSent = seq;
        }
    }

    /** An acknowledgement payload; true when it was taken (something for {@link #forget} to look at). */
    boolean received(byte[] payload) {
        try {
            Acknowledgement ack = codec.decode(payload);
            if (!ack.site().equals(site) || !ack.node().equals(node)) {
                invalidWarning.warn("Ignored an acknowledgement for " + ack.site() + "/" + ack.node()
                        + " on the topic of " + site + "/" + node, invalid.incrementAndGet());
                return false;
            }
            long ceiling = highestSent;
            synchronized (this) {
                for (long[] range : ack.ranges()) {
                    if (range[0] <= ceiling) {
                        acknowledged.add(range[0], Math.min(range[1], ceiling));
                    }
                }
            }
            pending = true;
            return true;
        } catch (InvalidMessageException e) {
            invalidWarning.warn("Ignored an acknowledgement on " + TopicContract.ackTopic(site, node) + ": "
                    + e.getMessage(), invalid.incrementAndGet());
        } catch (RuntimeException e) {
            invalidWarning.warn("Could not take an acknowledgement: " + e, invalid.incrementAndGet());
        }
        return false;
    }

    /** Whether an acknowledgement arrived since the last {@link #forget}. */
    boolean pending() {
        return pending;
    }

    synchronized boolean isAcknowledged(long seq) {
        return acknowledged.contains(seq);
    }

    /**
     * Moves the journal's head over every acknowledged entry at it (a format-1 entry: once sent, as its PUBACK said
     * before), one {@link ForwardJournal#acknowledge} (one saved head position) per batch of entries.
     *
     * @return how many entries the journal forgot
     */
    synchronized long forget(ForwardJournal journal, int batchSize, BooleanSupplier running) {
        pending = false;
        long forgotten = 0;
        long headSeq = JournalRecord.UNKNOWN;
        boolean more = true;
        while (more && running.getAsBoolean()) {
            List<ForwardJournal.Entry> batch = journal.peek(batchSize);
            ForwardJournal.Entry last = null;
            more = !batch.isEmpty();
            for (ForwardJournal.Entry entry : batch) {
                JournalRecord record = JournalRecord.fromBytes(entry.bytes());
                boolean done = record.hasSeq() ? acknowledged.contains(record.seq()) : journal.isSent(entry.position());
                if (!done) {
                    headSeq = record.seq();
                    more = false;
                    break;
                }
                last = entry;
            }
            if (last != null) {
                journal.acknowledge(last);
                forgotten += last.position() - batch.get(0).position() + 1;
            }
        }
        if (journal.isEmpty()) {
            acknowledged.clear();
        } else if (headSeq > 0) {
            // numbers below the oldest entry are duplicates' acknowledgements: nothing waits for them
            acknowledged.removeThrough(headSeq - 1);
        }
        return forgotten;
    }

    /** Acknowledgements ignored as broken or not meant for this node. */
    long invalidCount() {
        return invalid.get();
    }
}
