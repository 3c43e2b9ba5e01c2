package io.iiotroutes.edge.forward;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.zip.CRC32;

/**
 * The position of the first record not yet sent, as {@code [long position][int crc32]}. Replaced atomically
 * (temp file, fsync, rename, fsync of the directory), so after any crash it holds either the old or the new value.
 */
final class AckPositionFile {

    private static final Logger LOG = LoggerFactory.getLogger(AckPositionFile.class);
    private static final int BYTES = 12;

    private final Path file;
    private final Path temp;

    AckPositionFile(Path dir) {
        this.file = dir.resolve("acked.pos");
        this.temp = dir.resolve("acked.pos.tmp");
    }

    /** The stored position; empty when there is none or it is unreadable (then everything stored is resent). */
    OptionalLong read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (bytes.length == BYTES) {
            long position = buffer.getLong();
            if (buffer.getInt() == crc(position) && position >= 0) {
                return OptionalLong.of(position);
            }
        }
        LOG.warn("Journal position file {} is corrupt; all stored records will be resent (duplicates, no loss)", file);
        return OptionalLong.empty();
    }

    void write(long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BYTES).putLong(position).putInt(crc(position)).flip();
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file.getParent());
    }

    /** Makes a created, renamed or deleted directory entry durable; not supported on every platform. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}: {}", dir, e.getMessage());
        }
    }

    private static int crc(long position) {
        CRC32 crc = new CRC32();
        crc.update(ByteBuffer.allocate(8).putLong(position).array());
        return (int) crc.getValue();
    }
}
