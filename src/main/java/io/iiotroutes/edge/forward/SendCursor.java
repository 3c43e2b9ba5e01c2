package io.iiotroutes.edge.forward;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a journal's next record to send is: its position, and its byte offset in the segment starting at
 * {@link #base}. Moves forward as records are sent and back to the head on a rewind; {@link ForwardJournal} guards
 * it with its lock.
 */
final class SendCursor {

    private static final Logger LOG = LoggerFactory.getLogger(SendCursor.class);

    private long position;
    private long offset;
    private long base = -1;

    long position() {
        return position;
    }

    long offset() {
        return offset;
    }

    void moveTo(long newPosition, long newOffset, long newBase) {
        position = newPosition;
        offset = newOffset;
        base = newBase;
    }

    /** Past a record of this length (in the same segment). */
    void advance(int payloadLength) {
        position++;
        offset += JournalSegment.RECORD_HEADER_BYTES + (long) payloadLength;
    }

    /** The cursor may sit at the end of its segment while the next one starts there: move it to that one. */
    void normalize(TreeMap<Long, JournalSegment> segments) {
        Map.Entry<Long, JournalSegment> segment = segments.floorEntry(position);
        if (segment.getKey() != base) {
            base = segment.getKey();
            offset = JournalSegment.FILE_HEADER_BYTES;
        } else if (position >= segment.getValue().end()) {
            Map.Entry<Long, JournalSegment> next = segments.ceilingEntry(position);
            if (next != null && next.getKey() != base) {
                moveTo(next.getKey(), JournalSegment.FILE_HEADER_BYTES, next.getKey());
            }
        }
    }

    /**
     * The record at the cursor no longer matches its CRC: it is passed over (dropped, counted, once it reaches the
     * head). If its length is damaged too, nothing after it in that segment can be found in order: the cursor goes to
     * the next segment (or {@code end} when there is none).
     */
    void skipCorrupt(TreeMap<Long, JournalSegment> segments, long end) {
        JournalSegment segment = segments.floorEntry(position).getValue();
        long length;
        try {
            length = segment.lengthAt(offset);
        } catch (IOException | RuntimeException e) {
            length = -1;
        }
        if (length >= 0 && offset + JournalSegment.RECORD_HEADER_BYTES + length <= segment.size()) {
            LOG.warn("Journal record at position {} no longer matches its CRC; not sent", position);
            advance((int) length);
            return;
        }
        Map.Entry<Long, JournalSegment> following = segments.higherEntry(segment.base);
        LOG.warn("Journal record at position {} is damaged beyond its CRC; the rest of its segment is not sent", position);
        if (following == null) {
            moveTo(end, JournalSegment.FILE_HEADER_BYTES, base);
        } else {
            moveTo(following.getKey(), JournalSegment.FILE_HEADER_BYTES, following.getKey());
        }
    }
}
