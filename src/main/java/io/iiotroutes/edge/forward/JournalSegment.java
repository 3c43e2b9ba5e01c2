package io.iiotroutes.edge.forward;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * One segment file: an 8-byte file header (magic, format version), then records of
 * {@code [int length][int crc32(length, payload)][payload]}, big-endian. Records are numbered from the base
 * position in the file name, so a segment never needs rewriting: it is appended to, then deleted whole.
 */
final class JournalSegment implements AutoCloseable {

    static final int FILE_HEADER_BYTES = 8;
    static final int RECORD_HEADER_BYTES = 8;
    private static final int MAGIC = 0x49494A31; // "IIJ1"
    private static final int FORMAT_VERSION = 1;
    private static final Pattern NAME = Pattern.compile("segment-(\\d{20})\\.log");
    private static final Logger LOG = LoggerFactory.getLogger(JournalSegment.class);

    final long base;
    final Path path;
    private final FileChannel channel;
    private int records;
    private long size;

    private JournalSegment(long base, Path path, FileChannel channel, int records, long size) {
        this.base = base;
        this.path = path;
        this.channel = channel;
        this.records = records;
        this.size = size;
    }

    static String fileName(long base) {
        return String.format("segment-%020d.log", base);
    }

    static OptionalLong baseOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    static JournalSegment create(Path dir, long base) throws IOException {
        Path path = dir.resolve(fileName(base));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        writeFully(channel, fileHeader(), 0);
        channel.force(true);
        return new JournalSegment(base, path, channel, 0, FILE_HEADER_BYTES);
    }

    /**
     * Opens an existing segment, keeping the longest prefix of intact records. A record cut short or failing its
     * CRC (a crash mid-write, a bad sector) ends the segment: it and everything after it are truncated away.
     *
     * @return the segment, or null when the file is not a segment (it is renamed {@code *.corrupt} and kept)
     */
    static JournalSegment recover(Path path, long base, Runnable onTruncated) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long fileSize = channel.size();
        if (fileSize < FILE_HEADER_BYTES) {
            // crashed while creating the file: nothing was ever stored in it
            channel.truncate(0);
            writeFully(channel, fileHeader(), 0);
            channel.force(true);
            return new JournalSegment(base, path, channel, 0, FILE_HEADER_BYTES);
        }
        ByteBuffer header = readFully(channel, 0, FILE_HEADER_BYTES);
        if (header.getInt() != MAGIC || header.getInt() != FORMAT_VERSION) {
            channel.close();
            Path aside = path.resolveSibling(path.getFileName() + ".corrupt");
            Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("Journal file {} has no valid segment header; moved aside to {}", path, aside);
            onTruncated.run();
            return null;
        }
        int records = 0;
        long offset = FILE_HEADER_BYTES;
        while (offset + RECORD_HEADER_BYTES <= fileSize) {
            ByteBuffer recordHeader = readFully(channel, offset, RECORD_HEADER_BYTES);
            int length = recordHeader.getInt();
            int crc = recordHeader.getInt();
            if (length < 0 || offset + RECORD_HEADER_BYTES + length > fileSize) {
                break;
            }
            byte[] payload = readFully(channel, offset + RECORD_HEADER_BYTES, length).array();
            if (crc(length, payload) != crc) {
                break;
            }
            records++;
            offset += RECORD_HEADER_BYTES + length;
        }
        if (offset < fileSize) {
            LOG.warn("Journal segment {}: torn or corrupt record at byte {} ({} bytes after it discarded); "
                    + "the {} records before it are intact", path, offset, fileSize - offset, records);
            channel.truncate(offset);
            channel.force(true);
            onTruncated.run();
        }
        return new JournalSegment(base, path, channel, records, offset);
    }

    /** Appends one record; returns the file offset it was written at. */
    long append(byte[] payload) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(RECORD_HEADER_BYTES + payload.length);
        buffer.putInt(payload.length).putInt(crc(payload.length, payload)).put(payload).flip();
        long offset = size;
        writeFully(channel, buffer, offset);
        size += buffer.capacity();
        records++;
        return offset;
    }

    int lengthAt(long offset) throws IOException {
        return readFully(channel, offset, 4).getInt();
    }

    /** The payload of the record at {@code offset}, or null when it no longer matches its CRC. */
    byte[] payloadAt(long offset) throws IOException {
        ByteBuffer recordHeader = readFully(channel, offset, RECORD_HEADER_BYTES);
        int length = recordHeader.getInt();
        int crc = recordHeader.getInt();
        if (length < 0 || offset + RECORD_HEADER_BYTES + length > size) {
            return null;
        }
        byte[] payload = readFully(channel, offset + RECORD_HEADER_BYTES, length).array();
        return crc(length, payload) == crc ? payload : null;
    }

    /** File offset of the record {@code index} records after the first. */
    long offsetOf(long index) throws IOException {
        long offset = FILE_HEADER_BYTES;
        for (long i = 0; i < index; i++) {
            offset += RECORD_HEADER_BYTES + lengthAt(offset);
        }
        return offset;
    }

    int records() {
        return records;
    }

    long end() {
        return base + records;
    }

    long size() {
        return size;
    }

    void force() throws IOException {
        channel.force(false);
    }

    void delete() throws IOException {
        close();
        Files.deleteIfExists(path);
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            channel.close();
        }
    }

    private static ByteBuffer fileHeader() {
        return ByteBuffer.allocate(FILE_HEADER_BYTES).putInt(MAGIC).putInt(FORMAT_VERSION).flip();
    }

    private static int crc(int length, byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(ByteBuffer.allocate(4).putInt(length).array());
        crc.update(payload);
        return (int) crc.getValue();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("unexpected end of " + channel + " at " + at);
            }
            at += read;
        }
        return buffer.flip();
    }
}
