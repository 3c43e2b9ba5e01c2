package io.iiotroutes.edge.forward;

import io.iiotroutes.ops.RateLimitedWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A bounded, crash-safe, append-only queue of byte records on disk (docs/delivery-edge.md, "Journal format").
 * <p>
 * Records live in segment files and are numbered by a position that only grows. {@link #peek} reads from the
 * oldest unacknowledged record; {@link #acknowledge} moves that point on and stores it in {@code acked.pos};
 * segments entirely behind it are deleted. A second, in-memory cursor marks what has been sent but not yet
 * acknowledged ({@link #peekUnsent}, {@link #markSent}, {@link #rewind}): records between the two wait for a
 * confirmation that may come much later (the server's acknowledgement); a restart starts sending again from the
 * oldest unacknowledged record. On {@link #open} a torn or corrupt tail is cut off, so a kill -9
 * mid-write costs at most the record being written. Limits are enforced by the {@link OverflowPolicy}, and
 * every record lost to them is counted in {@link #droppedCount()} and logged.
 * <p>
 * Thread-safe (one lock); one process at a time per directory (a file lock guards it). Storage failures surface
 * as {@link UncheckedIOException}.
 */
public final class ForwardJournal implements AutoCloseable {

    /** One stored record and its position, to acknowledge it by. */
    public record Entry(long position, byte[] bytes) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ForwardJournal.class);
    private static final long DROP_WARNING_INTERVAL_MILLIS = 10_000;

    private final Path dir;
    private final JournalSettings settings;
    private final AckPositionFile ackFile;
    private final JournalLock lock;
    private final JournalSegments files;
    /** The segments by the position of their first record (the map of {@link #files}). */
    private final TreeMap<Long, JournalSegment> segments;
    private final RateLimitedWarning dropWarning = new RateLimitedWarning(LOG, DROP_WARNING_INTERVAL_MILLIS);

    private long nextPosition;
    private long head;
    private long headOffset;
    /** Next record to send: head <= cursor <= nextPosition. */
    private final SendCursor cursor = new SendCursor();
    private long backlog;
    private long backlogBytes;
    private long dropped;
    private long truncated;
    private boolean headUnsaved;
    private boolean appendsUnsynced;
    private long lastSyncNanos = System.nanoTime();
    private boolean closed;

    private ForwardJournal(Path dir, JournalSettings settings, JournalLock lock) {
        this.dir = dir;
        this.settings = settings;
        this.ackFile = new AckPositionFile(dir);
        this.lock = lock;
        this.files = new JournalSegments(dir);
        this.segments = files.map();
    }

    /** Opens (creating if needed) the journal in {@code dir}, recovering from any crash of a previous process. */
    public static ForwardJournal open(Path dir, JournalSettings settings) throws IOException {
        Files.createDirectories(dir);
        ForwardJournal journal = new ForwardJournal(dir, settings, JournalLock.acquire(dir));
        try {
            journal.recover();
        } catch (IOException | RuntimeException e) {
            journal.closeFiles();
            throw e;
        }
        return journal;
    }

    /**
     * Stores a record after the newest one.
     *
     * @return false when the record was refused (REJECT_NEW with a full journal, or a record larger than
     * {@code maxBytes}); the loss is counted and logged
     */
    public synchronized boolean append(byte[] record) {
        return add(record) >= 0;
    }

    /**
     * Stores a record after the newest one.
     *
     * @return its position, or -1 when it was refused (see {@link #append})
     */
    public synchronized long add(byte[] record) {
        ensureOpen();
        long size = JournalSegment.RECORD_HEADER_BYTES + (long) record.length;
        if (size > settings.maxBytes()) {
            countDropped(1, "Journal refused a record of " + size + " bytes: larger than maxBytes "
                    + settings.maxBytes());
            return -1;
        }
        try {
            while (overLimit(size)) {
                if (settings.overflowPolicy() == OverflowPolicy.REJECT_NEW) {
                    countDropped(1, "Journal full (" + limits() + ", REJECT_NEW): newest record refused");
                    return -1;
                }
                advanceHead();
                countDropped(1, "Journal full (" + limits() + ", DROP_OLDEST): oldest unsent records dropped");
            }
            JournalSegment tail = files.writable(nextPosition, size, settings.segmentBytes());
            long offset = tail.append(record);
            if (backlog == 0) {
                head = nextPosition;
                headOffset = offset;
                cursor.moveTo(head, offset, tail.base);
            }
            long position = nextPosition;
            nextPosition++;
            backlog++;
            backlogBytes += size;
            appendsUnsynced = true;
            if (settings.fsyncPolicy() == FsyncPolicy.EVERY_APPEND) {
                tail.force();
                appendsUnsynced = false;
            } else {
                syncIfDue();
            }
            return position;
        } catch (IOException e) {
            throw new UncheckedIOException("journal " + dir + ": cannot append", e);
        }
    }

    /** Up to {@code max} unacknowledged records, oldest first. */
    public synchronized List<Entry> peek(int max) {
        ensureOpen();
        List<Entry> entries = new ArrayList<>(Math.min(max, (int) Math.min(backlog, 1024)));
        try {
            while (entries.isEmpty() && backlog > 0 && max > 0) {
                if (!files.read(head, headOffset, backlog, entries, max)) {
                    // corrupted since it was written (bad sector): it cannot be sent, so it is lost, loudly
                    long corrupt = head;
                    advanceHead();
                    countDropped(1, "Journal record at position " + corrupt + " no longer matches its CRC; dropped");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("journal " + dir + ": cannot read", e);
        }
        return entries;
    }

    /**
     * Up to {@code max} records not yet sent (from the send cursor), oldest first. A record there that no longer
     * matches its CRC is skipped (it is dropped, counted, once it reaches the head).
     */
    public synchronized List<Entry> peekUnsent(int max) {
        ensureOpen();
        List<Entry> entries = new ArrayList<>(Math.min(max, (int) Math.min(unsent(), 1024)));
        try {
            while (entries.isEmpty() && unsent() > 0 && max > 0) {
                if (cursor.position() == head) {
                    entries.addAll(peek(max));
                    return entries;
                }
                cursor.normalize(segments);
                if (!files.read(cursor.position(), cursor.offset(), unsent(), entries, max)) {
                    cursor.skipCorrupt(segments, nextPosition);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("journal " + dir + ": cannot read", e);
        }
        return entries;
    }

    /** The record was sent: the send cursor moves past it (nothing happens if it already has). */
    public synchronized void markSent(Entry entry) {
        ensureOpen();
        if (entry.position() != cursor.position() || backlog == 0) {
            return;
        }
        cursor.normalize(segments);
        cursor.advance(entry.bytes().length);
    }

    /** Whether the record at this position is the next one to send. */
    public synchronized boolean isNextToSend(long position) {
        return backlog > 0 && position == cursor.position();
    }

    /** Whether the record at this position has been sent (it may still wait for its acknowledgement). */
    public synchronized boolean isSent(long position) {
        return position < cursor.position();
    }

    /** Everything sent but not acknowledged is to be sent again: the cursor goes back to the head. */
    public synchronized long rewind() {
        ensureOpen();
        long rewound = sentUnacknowledged();
        if (backlog > 0) {
            cursor.moveTo(head, headOffset, segments.floorKey(head));
        }
        return rewound;
    }

    /** Records waiting to be sent. */
    public synchronized long unsent() {
        return backlog == 0 ? 0 : Math.max(0, Math.min(backlog, nextPosition - cursor.position()));
    }

    /** Records sent and waiting for their acknowledgement. */
    public synchronized long sentUnacknowledged() {
        return backlog - unsent();
    }

    /** Marks {@code upTo} and every record before it as sent; they are never returned by {@link #peek} again. */
    public synchronized void acknowledge(Entry upTo) {
        ensureOpen();
        if (upTo.position() >= nextPosition) {
            throw new IllegalArgumentException("position " + upTo.position() + " was never appended");
        }
        try {
            boolean moved = false;
            while (backlog > 0 && head <= upTo.position()) {
                advanceHead();
                moved = true;
            }
            if (moved && settings.fsyncPolicy() == FsyncPolicy.EVERY_APPEND) {
                saveHead();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("journal " + dir + ": cannot acknowledge", e);
        }
    }

    /** With {@link FsyncPolicy#INTERVAL}: forces pending writes once the interval has passed. Cheap otherwise. */
    public synchronized void syncIfDue() {
        if (closed || settings.fsyncPolicy() != FsyncPolicy.INTERVAL) {
            return;
        }
        if (System.nanoTime() - lastSyncNanos >= settings.fsyncIntervalMillis() * 1_000_000L) {
            try {
                sync();
            } catch (IOException e) {
                throw new UncheckedIOException("journal " + dir + ": cannot sync", e);
            }
        }
    }

    public synchronized boolean isEmpty() {
        return backlog == 0;
    }

    /** Unacknowledged records. */
    public synchronized long backlog() {
        return backlog;
    }

    /** Bytes of unacknowledged records including their headers: what {@code maxBytes} limits. */
    public synchronized long bytes() {
        return backlogBytes;
    }

    /** Records lost to the overflow policy (or to corruption) since this journal was opened. */
    public synchronized long droppedCount() {
        return dropped;
    }

    /** Torn or corrupt tails cut off when this journal was opened. */
    public synchronized long truncatedCount() {
        return truncated;
    }

    public JournalSettings settings() {
        return settings;
    }

    /** Forces all writes, stores the acknowledged position and releases the directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            sync();
        } catch (IOException e) {
            LOG.warn("Journal {}: final sync failed: {}", dir, e.getMessage());
        } finally {
            closed = true;
            closeFiles();
        }
    }

    private void recover() throws IOException {
        OptionalLong savedHead = ackFile.read();
        files.recover(() -> truncated++);
        long storedEnd = segments.isEmpty() ? 0 : segments.lastEntry().getValue().end();
        nextPosition = Math.max(storedEnd, savedHead.orElse(0));
        head = savedHead.orElse(segments.isEmpty() ? nextPosition : segments.firstKey());
        while (!segments.isEmpty() && segments.firstEntry().getValue().end() <= head) {
            segments.pollFirstEntry().getValue().delete();
        }
        if (segments.isEmpty()) {
            head = nextPosition;
        } else {
            JournalSegment first = segments.firstEntry().getValue();
            head = Math.max(head, first.base);
            headOffset = first.offsetOf(head - first.base);
            backlog = -(head - first.base);
            backlogBytes = -(headOffset - JournalSegment.FILE_HEADER_BYTES);
            for (JournalSegment segment : segments.values()) {
                backlog += segment.records();
                backlogBytes += segment.size() - JournalSegment.FILE_HEADER_BYTES;
            }
        }
        cursor.moveTo(head, headOffset, segments.isEmpty() ? -1 : segments.floorKey(head));
        if (truncated > 0) {
            AckPositionFile.syncDirectory(dir);
        }
        LOG.info("Journal {} opened: {} unsent records ({} bytes), limit {}", dir, backlog, backlogBytes, limits());
    }

    /** Moves past the oldest unacknowledged record, deleting its segment once it has none left. */
    private void advanceHead() throws IOException {
        JournalSegment segment = segments.floorEntry(head).getValue();
        long size = JournalSegment.RECORD_HEADER_BYTES + (long) segment.lengthAt(headOffset);
        backlog--;
        backlogBytes -= size;
        head++;
        headOffset += size;
        headUnsaved = true;
        if (head >= segment.end()) {
            segments.remove(segment.base);
            segment.delete();
            Map.Entry<Long, JournalSegment> next = segments.ceilingEntry(head);
            if (next != null) {
                head = next.getKey();
                headOffset = JournalSegment.FILE_HEADER_BYTES;
            }
        }
        if (cursor.position() < head || backlog == 0) {
            cursor.moveTo(head, headOffset, backlog == 0 ? -1 : segments.floorKey(head));
        }
    }

    private boolean overLimit(long recordSize) {
        return backlogBytes + recordSize > settings.maxBytes()
                || (settings.maxRecords() > 0 && backlog + 1 > settings.maxRecords());
    }

    private void countDropped(long records, String what) {
        dropped += records;
        dropWarning.warn(what, dropped);
    }

    private void sync() throws IOException {
        if (appendsUnsynced) {
            files.forceTail();
        }
        appendsUnsynced = false;
        if (headUnsaved) {
            saveHead();
        }
        lastSyncNanos = System.nanoTime();
    }

    private void saveHead() throws IOException {
        ackFile.write(head);
        headUnsaved = false;
    }

    private String limits() {
        return settings.maxBytes() + " bytes" + (settings.maxRecords() > 0 ? " / " + settings.maxRecords()
                + " records" : "");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("journal " + dir + " is closed");
        }
    }

    private void closeFiles() {
        files.closeAll();
        try {
            lock.close();
        } catch (IOException e) {
            LOG.debug("releasing the journal lock", e);
        }
    }
}
