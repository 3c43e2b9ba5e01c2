package io.iiotroutes.edge.forward;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The segment files of one journal directory, by the position of their first record: found and recovered on open,
 * read in runs across segment boundaries, extended at the tail. {@link ForwardJournal} keeps the positions (head,
 * send cursor, limits) and calls these under its lock.
 */
final class JournalSegments {

    private static final Logger LOG = LoggerFactory.getLogger(JournalSegments.class);

    private final Path dir;
    private final TreeMap<Long, JournalSegment> byBase = new TreeMap<>();

    JournalSegments(Path dir) {
        this.dir = dir;
    }

    /** Every segment file in the directory, each cut at its first torn or corrupt record; empty ones deleted. */
    void recover(Runnable onTruncated) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> JournalSegment.baseOf(p).isPresent()).sorted().toList();
        }
        for (Path file : files) {
            JournalSegment segment = JournalSegment.recover(file, JournalSegment.baseOf(file).getAsLong(), onTruncated);
            if (segment == null) {
                continue;
            }
            if (segment.records() == 0) {
                segment.delete();
            } else {
                byBase.put(segment.base, segment);
            }
        }
    }

    TreeMap<Long, JournalSegment> map() {
        return byBase;
    }

    /**
     * Reads consecutive intact records from a position (at {@code fromOffset} in its segment), at most {@code count}
     * and {@code max}; false when the record there is corrupt.
     */
    boolean read(long from, long fromOffset, long count, List<ForwardJournal.Entry> entries, int max) throws IOException {
        JournalSegment segment = byBase.floorEntry(from).getValue();
        long position = from;
        long offset = fromOffset;
        long remaining = count;
        while (entries.size() < max && remaining > 0) {
            if (position >= segment.end()) {
                segment = byBase.higherEntry(segment.base).getValue();
                position = segment.base;
                offset = JournalSegment.FILE_HEADER_BYTES;
                continue;
            }
            byte[] payload = segment.payloadAt(offset);
            if (payload == null) {
                return !entries.isEmpty();
            }
            entries.add(new ForwardJournal.Entry(position, payload));
            offset += JournalSegment.RECORD_HEADER_BYTES + payload.length;
            position++;
            remaining--;
        }
        return true;
    }

    /** The segment the next record (at {@code nextPosition}) goes to: the tail, or a new one once it is full. */
    JournalSegment writable(long nextPosition, long recordSize, long segmentBytes) throws IOException {
        Map.Entry<Long, JournalSegment> last = byBase.lastEntry();
        JournalSegment tail = last == null ? null : last.getValue();
        if (tail != null && tail.end() == nextPosition
                && (tail.records() == 0 || tail.size() + recordSize <= segmentBytes)) {
            return tail;
        }
        if (tail != null) {
            tail.force();
        }
        JournalSegment created = JournalSegment.create(dir, nextPosition);
        AckPositionFile.syncDirectory(dir);
        byBase.put(created.base, created);
        return created;
    }

    /** Forces the tail segment's writes to the device. */
    void forceTail() throws IOException {
        if (!byBase.isEmpty()) {
            byBase.lastEntry().getValue().force();
        }
    }

    void closeAll() {
        for (JournalSegment segment : byBase.values()) {
            try {
                segment.close();
            } catch (IOException e) {
                LOG.debug("closing {}", segment.path, e);
            }
        }
    }
}
