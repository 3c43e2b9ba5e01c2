package io.iiotroutes.edge.forward;

/**
 * When the journal forces its writes to the storage device. A kill -9 loses nothing either way (the data is in the
 * OS page cache); the policy decides what a power cut may lose, against how many slow fsyncs an SD card must do.
 */
public enum FsyncPolicy {
    /** fsync after every append and every acknowledgement: nothing acknowledged to the caller is lost. */
    EVERY_APPEND,
    /** fsync at most every {@link JournalSettings#fsyncIntervalMillis()}: a power cut may lose that window. */
    INTERVAL
}
