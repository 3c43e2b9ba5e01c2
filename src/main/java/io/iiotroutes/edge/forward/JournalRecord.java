package io.iiotroutes.edge.forward;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the publisher stores per journal record: the topic and the payload exactly as they will be published, plus
 * the message's sequence number (what the server's acknowledgements name) and when it was journaled (for the age of
 * the oldest unacknowledged entry). Format 2:
 * {@code [0xFFFF][uint8 2][int64 seq][int64 journaled-at ms][uint16 topic length][topic UTF-8][payload]}.
 * Format 1, written before acknowledgements existed, is {@code [uint16 topic length][topic UTF-8][payload]}; it is
 * read with seq and time {@link #UNKNOWN}. A topic is never 65,535 bytes long, so the marker cannot be a length.
 * Keeping the topic makes replay independent of the current settings (a node renamed while data waits still
 * replays under the name it was recorded with).
 */
record JournalRecord(String topic, byte[] payload, long seq, long journaledAt) {

    static final long UNKNOWN = -1;
    private static final int MARKER = 0xFFFF;
    private static final int FORMAT = 2;

    /** A format-1 record: no sequence number, so only the broker's PUBACK can confirm it. */
    JournalRecord(String topic, byte[] payload) {
        this(topic, payload, UNKNOWN, UNKNOWN);
    }

    boolean hasSeq() {
        return seq != UNKNOWN;
    }

    byte[] toBytes() {
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        if (topicBytes.length >= MARKER) {
            throw new IllegalArgumentException("topic too long: " + topicBytes.length + " bytes");
        }
        if (!hasSeq()) {
            return ByteBuffer.allocate(2 + topicBytes.length + payload.length)
                    .putShort((short) topicBytes.length).put(topicBytes).put(payload).array();
        }
        return ByteBuffer.allocate(2 + 1 + 8 + 8 + 2 + topicBytes.length + payload.length)
                .putShort((short) MARKER).put((byte) FORMAT).putLong(seq).putLong(journaledAt)
                .putShort((short) topicBytes.length).put(topicBytes).put(payload).array();
    }

    static JournalRecord fromBytes(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int first = Short.toUnsignedInt(buffer.getShort());
        long seq = UNKNOWN;
        long journaledAt = UNKNOWN;
        int topicLength = first;
        if (first == MARKER) {
            int format = Byte.toUnsignedInt(buffer.get());
            if (format != FORMAT) {
                throw new IllegalArgumentException("journal record format " + format + " is not " + FORMAT);
            }
            seq = buffer.getLong();
            journaledAt = buffer.getLong();
            topicLength = Short.toUnsignedInt(buffer.getShort());
        }
        int topicStart = buffer.position();
        String topic = new String(bytes, topicStart, topicLength, StandardCharsets.UTF_8);
        byte[] payload = new byte[bytes.length - topicStart - topicLength];
        buffer.position(topicStart + topicLength).get(payload);
        return new JournalRecord(topic, payload, seq, journaledAt);
    }
}
