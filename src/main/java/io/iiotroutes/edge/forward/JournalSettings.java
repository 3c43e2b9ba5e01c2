package io.iiotroutes.edge.forward;

import java.util.Objects;

/**
 * Limits and durability of a {@link ForwardJournal}. The application builds it from iiot.edge.journal.*; the
 * defaults named below are those of {@link #defaults()}, for callers outside the application (tests, tools).
 *
 * @param maxBytes            limit of the unsent backlog: records plus their 8-byte headers (default 256 MiB).
 *                            Disk use may exceed it by up to one segment (the partly sent oldest one).
 * @param maxRecords          limit of unsent records; 0 means only {@code maxBytes} applies
 * @param overflowPolicy      what happens when a limit is reached (default {@link OverflowPolicy#DROP_OLDEST})
 * @param fsyncPolicy         when writes are forced to the device (default {@link FsyncPolicy#EVERY_APPEND})
 * @param fsyncIntervalMillis the longest unsynced window with {@link FsyncPolicy#INTERVAL}; ignored otherwise
 * @param segmentBytes        size at which a new segment file starts; sent segments are deleted whole
 */
public record JournalSettings(long maxBytes, long maxRecords, OverflowPolicy overflowPolicy, FsyncPolicy fsyncPolicy,
                              long fsyncIntervalMillis, long segmentBytes) {

    public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;
    static final long MIN_SEGMENT_BYTES = 4 * 1024;
    static final long MAX_SEGMENT_BYTES = 16L * 1024 * 1024;

    public JournalSettings {
        Objects.requireNonNull(overflowPolicy, "overflowPolicy");
        Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        if (maxRecords < 0) {
            throw new IllegalArgumentException("maxRecords must be 0 (unlimited) or positive: " + maxRecords);
        }
        if (fsyncPolicy == FsyncPolicy.INTERVAL && fsyncIntervalMillis <= 0) {
            throw new IllegalArgumentException("fsyncIntervalMillis must be positive with INTERVAL: " + fsyncIntervalMillis);
        }
        if (segmentBytes < MIN_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segmentBytes must be at least " + MIN_SEGMENT_BYTES + ": " + segmentBytes);
        }
    }

    /** For callers outside the application: 256 MiB, drop oldest, fsync every append. */
    public static JournalSettings defaults() {
        return bounded(DEFAULT_MAX_BYTES, OverflowPolicy.DROP_OLDEST);
    }

    /** The given limit and policy, fsync every append, segments of a sixteenth of the limit (4 KiB to 16 MiB). */
    public static JournalSettings bounded(long maxBytes, OverflowPolicy overflowPolicy) {
        long segment = Math.max(MIN_SEGMENT_BYTES, Math.min(MAX_SEGMENT_BYTES, maxBytes / 16));
        return new JournalSettings(maxBytes, 0, overflowPolicy, FsyncPolicy.EVERY_APPEND, 0, segment);
    }

    public JournalSettings withMaxRecords(long records) {
        return new JournalSettings(maxBytes, records, overflowPolicy, fsyncPolicy, fsyncIntervalMillis, segmentBytes);
    }

    /** fsync at most every {@code millis}: fewer device writes, a power cut may lose up to that window. */
    public JournalSettings withFsyncInterval(long millis) {
        return new JournalSettings(maxBytes, maxRecords, overflowPolicy, FsyncPolicy.INTERVAL, millis, segmentBytes);
    }

    public JournalSettings withSegmentBytes(long bytes) {
        return new JournalSettings(maxBytes, maxRecords, overflowPolicy, fsyncPolicy, fsyncIntervalMillis, bytes);
    }
}
