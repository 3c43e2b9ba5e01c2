package io.iiotroutes.edge.forward;

import java.util.List;

/** What one journal holds at one moment, read under its lock, for {@link PublisherStats}. */
record JournalSnapshot(long unsent, long awaitingAck, long backlog, long bytes, long dropped, long oldestWaitingMillis) {

    static final JournalSnapshot NONE = new JournalSnapshot(0, 0, 0, 0, 0, 0);

    static JournalSnapshot of(ForwardJournal journal) {
        synchronized (journal) {
            return new JournalSnapshot(journal.unsent(), journal.sentUnacknowledged(), journal.backlog(),
                    journal.bytes(), journal.droppedCount(), oldestWaitingMillis(journal));
        }
    }

    /** How long the oldest entry has waited (for its PUBACK or its acknowledgement); 0 when empty or unknown. */
    private static long oldestWaitingMillis(ForwardJournal journal) {
        try {
            List<ForwardJournal.Entry> head = journal.peek(1);
            if (head.isEmpty()) {
                return 0;
            }
            long at = JournalRecord.fromBytes(head.get(0).bytes()).journaledAt();
            return at == JournalRecord.UNKNOWN ? 0 : Math.max(0, System.currentTimeMillis() - at);
        } catch (IllegalStateException e) {
            return 0;   // closed
        }
    }
}
