package io.iiotroutes.edge.forward;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalRecordTest {

    private static final byte[] PAYLOAD = "{\"seq\":42}".getBytes(StandardCharsets.UTF_8);

    @Test
    void carriesTheSequenceNumberAndWhenItWasJournaled() {
        JournalRecord read = JournalRecord.fromBytes(new JournalRecord("iiot/v1/s/n/data", PAYLOAD, 42, 1_700_000_000_000L).toBytes());

        assertEquals("iiot/v1/s/n/data", read.topic());
        assertArrayEquals(PAYLOAD, read.payload());
        assertTrue(read.hasSeq());
        assertEquals(42, read.seq());
        assertEquals(1_700_000_000_000L, read.journaledAt());
    }

    @Test
    void readsRecordsOfTheFormatBeforeAcknowledgements() {
        byte[] topic = "iiot/v1/s/n/data".getBytes(StandardCharsets.UTF_8);
        byte[] formatOne = ByteBuffer.allocate(2 + topic.length + PAYLOAD.length).putShort((short) topic.length)
                .put(topic).put(PAYLOAD).array();

        JournalRecord read = JournalRecord.fromBytes(formatOne);

        assertEquals("iiot/v1/s/n/data", read.topic());
        assertArrayEquals(PAYLOAD, read.payload());
        assertFalse(read.hasSeq(), "only the broker's PUBACK can confirm it");
        assertArrayEquals(formatOne, new JournalRecord("iiot/v1/s/n/data", PAYLOAD).toBytes());
    }
}
