package io.iiotroutes.edge.sampling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The node's message sequence counter, persisted so it keeps increasing across restarts. Each new value is on
 * disk before it is handed out (temp file, fsync, atomic rename), so a crash can skip a number but never reuse one.
 */
public final class SeqStore {

    private final Path file;
    private long last;

    private SeqStore(Path file, long last) {
        this.file = file;
        this.last = last;
    }

    /** Opens the counter in file; a missing file starts at 0, so the first seq is 1. */
    public static SeqStore open(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new SeqStore(file, 0);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        try {
            long last = Long.parseLong(text);
            if (last < 0) {
                throw new IOException(file + ": negative sequence number " + last);
            }
            return new SeqStore(file, last);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": not a sequence number: '" + text + "'", e);
        }
    }

    public Path file() {
        return file;
    }

    /** The last value handed out (0 before the first). */
    public long last() {
        return last;
    }

    /** Persists and returns the next sequence number. */
    public long next() {
        long next = last + 1;
        try {
            write(next);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist sequence number to " + file, e);
        }
        last = next;
        return next;
    }

    private void write(long value) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(dir);
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is fine. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }
}
