package io.iiotroutes.sparkplug;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The file that carries a {@link SparkplugEdgePublisher}'s {@code bdSeq} (0–255) over restarts: every CONNECT takes
 * the number in it (0 at first, or when the file is unreadable) and writes the one after back, atomically, for the
 * next connect.
 * <p>
 * Not thread-safe: only the publisher's session calls it, from its connect (the reconnect loop's thread).
 */
final class SparkplugBdSeqFile {

    /** The publisher's logger: what is logged here is the publisher's. */
    private static final Logger LOG = LoggerFactory.getLogger(SparkplugEdgePublisher.class);

    private final Path file;

    SparkplugBdSeqFile(Path file) {
        this.file = file;
    }

    /** The next bdSeq from the file (0 at first), and the one after written back for the next connect. */
    long next() {
        try {
            long next = 0;
            if (Files.exists(file)) {
                try {
                    next = Long.parseLong(Files.readString(file).trim()) & 0xFF;
                } catch (NumberFormatException e) {
                    LOG.warn("{} unreadable: bdSeq starts from 0", file);
                }
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, Long.toString((next + 1) % 256));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return next;
        } catch (IOException e) {
            throw new UncheckedIOException("bdSeq file " + file + ": " + e.getMessage(), e);
        }
    }
}
