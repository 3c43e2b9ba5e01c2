package io.iiotroutes.edge.forward;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the publisher stores per journal record: the topic and the payload exactly as they will be published,
 * {@code [unsigned short topic length][topic UTF-8][payload]}. Keeping the topic makes replay independent of
 * the current settings (a node renamed while data waits still replays under the name it was recorded with).
 */
record JournalRecord(String topic, byte[] payload) {

    byte[] toBytes() {
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        if (topicBytes.length > 0xFFFF) {
            throw new IllegalArgumentException("topic too long: " + topicBytes.length + " bytes");
        }
        return ByteBuffer.allocate(2 + topicBytes.length + payload.length)
                .putShort((short) topicBytes.length).put(topicBytes).put(payload).array();
    }

    static JournalRecord fromBytes(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int topicLength = Short.toUnsignedInt(buffer.getShort());
        String topic = new String(bytes, 2, topicLength, StandardCharsets.UTF_8);
        byte[] payload = new byte[bytes.length - 2 - topicLength];
        buffer.position(2 + topicLength).get(payload);
        return new JournalRecord(topic, payload);
    }
}
