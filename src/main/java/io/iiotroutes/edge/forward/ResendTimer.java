package io.iiotroutes.edge.forward;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When entries that wait for the server's acknowledgement are sent again: after {@code firstMillis} without
 * progress, the wait doubling up to {@code maxMillis} while nothing is acknowledged and starting over once something
 * is; and the rewinds of the journal that send them: after every reconnect (the broker may have lost what it held for
 * the server, e.g. a restart without persistence) and when a wait is over.
 */
final class ResendTimer {

    private static final Logger LOG = LoggerFactory.getLogger(ResendTimer.class);

    private final long firstMillis;
    private final long maxMillis;
    private volatile long sinceNanos = System.nanoTime();
    private volatile long waitMillis;

    ResendTimer(long firstMillis, long maxMillis) {
        this.firstMillis = firstMillis;
        this.maxMillis = Math.max(firstMillis, maxMillis);
        this.waitMillis = firstMillis;
    }

    /** The journal moved on (acknowledgements came): the next wait is the first one again, from now. */
    void progress() {
        sinceNanos = System.nanoTime();
        waitMillis = firstMillis;
    }

    /** Nothing is owed yet (nothing waits, a pass is still sending, or everything was just sent again): from now. */
    void restart() {
        sinceNanos = System.nanoTime();
    }

    /** How long it has been since progress or restart. */
    long waitedMillis() {
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    /** Whether the current wait is over. */
    boolean overdue() {
        return waitedMillis() >= waitMillis;
    }

    /** Everything waiting was sent again: the next wait doubles (up to the maximum) and starts now. */
    void resent() {
        waitMillis = Math.min(waitMillis * 2, maxMillis);
        sinceNanos = System.nanoTime();
    }

    long waitMillis() {
        return waitMillis;
    }

    /** A new connection: whatever the server has not acknowledged is sent again. How many. */
    long rewindOnConnect(ForwardJournal journal) {
        long again = journal.rewind();
        if (again > 0) {
            LOG.info("Connected again: {} messages not yet acknowledged by the server are sent again", again);
        }
        restart();
        return again;
    }

    /**
     * Unacknowledged entries past their time are sent again (how many; 0 when none are due). The wait starts only
     * once a replay pass has sent everything ({@link #passSending}), so a slow link does not send the oldest entries
     * again and again. Live messages do not hold the wait back: a node that keeps streaming while the server that
     * held some of its messages died still sends those again after the wait (its newer messages are acknowledged
     * by the other replicas, but the journal cannot forget past the oldest one missing).
     */
    long rewindIfOverdue(ForwardJournal journal, boolean connected) {
        if (journal.sentUnacknowledged() == 0) {
            restart();
            return 0;
        }
        if (journal.unsent() > 1 || !overdue() || !connected) {
            return 0;
        }
        long waited = waitedMillis();
        long again = journal.rewind();
        resent();
        LOG.warn("No acknowledgement from the server for {} s: {} messages are sent again (next time after {} s "
                + "without one; is the server running, and its TSDB?)", waited / 1000, again, waitMillis / 1000);
        return again;
    }

    /**
     * The replay thread is about to send a batch of the {@code unsent} entries: a pass (a backlog, more than the one
     * live message a publish may have in hand) restarts the wait.
     */
    void passSending(long unsent) {
        if (unsent > 1) {
            restart();
        }
    }
}
