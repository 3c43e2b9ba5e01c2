package io.iiotroutes.edge.forward;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardJournalTest {

    /** 10-byte payloads: 18 bytes per record with the header. */
    private static final int RECORD_BYTES = 18;

    @TempDir
    Path dir;

    @Test
    void peeksOldestFirstAndAcknowledgesCumulatively() throws IOException {
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            assertTrue(journal.isEmpty());
            appendRecords(journal, 0, 10);
            assertEquals(10, journal.backlog());
            assertEquals(10L * RECORD_BYTES, journal.bytes());

            List<ForwardJournal.Entry> first = journal.peek(4);
            assertEquals(List.of("record-000", "record-001", "record-002", "record-003"), texts(first));
            assertEquals(List.of("record-000", "record-001"), texts(journal.peek(2)), "peek does not consume");

            journal.acknowledge(first.get(3));
            assertEquals(6, journal.backlog());
            assertEquals(6L * RECORD_BYTES, journal.bytes());
            List<ForwardJournal.Entry> rest = journal.peek(100);
            assertEquals(IntStream.range(4, 10).mapToObj(ForwardJournalTest::text).toList(), texts(rest));
            assertTrue(rest.get(0).position() > first.get(3).position());

            journal.acknowledge(rest.get(5));
            assertTrue(journal.isEmpty());
            assertEquals(0, journal.bytes());
            assertEquals(List.of(), journal.peek(10));
            assertEquals(0, journal.droppedCount());
        }
    }

    @Test
    void reopenKeepsUnacknowledgedRecordsAndContinuesPositions() throws IOException {
        long lastPosition;
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            appendRecords(journal, 0, 5);
            List<ForwardJournal.Entry> entries = journal.peek(5);
            journal.acknowledge(entries.get(1));
            lastPosition = entries.get(4).position();
        }
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            assertEquals(3, journal.backlog());
            assertEquals(3L * RECORD_BYTES, journal.bytes());
            assertEquals(List.of("record-002", "record-003", "record-004"), texts(journal.peek(10)));
            appendRecords(journal, 5, 1);
            List<ForwardJournal.Entry> all = journal.peek(10);
            assertEquals("record-005", text(all.get(3).bytes()));
            assertEquals(lastPosition + 1, all.get(3).position());
        }
    }

    @Test
    void fullyAcknowledgedJournalReopensEmpty() throws IOException {
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            appendRecords(journal, 0, 3);
            journal.acknowledge(journal.peek(3).get(2));
        }
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            assertTrue(journal.isEmpty());
            assertEquals(List.of(), journal.peek(10));
        }
    }

    @Test
    void tornTailRecordIsCutOffAndTheGoodPrefixKept() throws IOException {
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            appendRecords(journal, 0, 5);
        }
        Path segment = onlySegment();
        long size = Files.size(segment);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(size - 3); // as if killed in the middle of writing the fifth record
        }
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            assertEquals(1, journal.truncatedCount());
            assertEquals(4, journal.backlog());
            assertEquals(IntStream.range(0, 4).mapToObj(ForwardJournalTest::text).toList(), texts(journal.peek(10)));
            appendRecords(journal, 5, 1);
            assertEquals("record-005", text(journal.peek(10).get(4).bytes()));
        }
        assertEquals(5L * RECORD_BYTES + JournalSegment.FILE_HEADER_BYTES, Files.size(segment));
    }

    @Test
    void recordHeaderWithoutPayloadIsCutOff() throws IOException {
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            appendRecords(journal, 0, 2);
        }
        Path segment = onlySegment();
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(JournalSegment.FILE_HEADER_BYTES + RECORD_BYTES + 5); // half a record header
        }
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            assertEquals(1, journal.truncatedCount());
            assertEquals(List.of("record-000"), texts(journal.peek(10)));
        }
    }

    @Test
    void flippedByteFailsTheCrcAndEverythingFromThatRecordOnIsCutOff() throws IOException {
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            appendRecords(journal, 0, 5);
        }
        Path segment = onlySegment();
        long thirdPayload = JournalSegment.FILE_HEADER_BYTES + 2L * RECORD_BYTES + JournalSegment.RECORD_HEADER_BYTES;
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(thirdPayload + 4);
            int b = file.read();
            file.seek(thirdPayload + 4);
            file.write(b ^ 0x01);
        }
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            assertEquals(1, journal.truncatedCount());
            assertEquals(List.of("record-000", "record-001"), texts(journal.peek(10)));
        }
    }

    @Test
    void flippedLengthByteIsDetected() throws IOException {
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            appendRecords(journal, 0, 3);
        }
        Path segment = onlySegment();
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(JournalSegment.FILE_HEADER_BYTES + 2L * RECORD_BYTES + 3); // low byte of the last length
            file.write(9);
        }
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            assertEquals(1, journal.truncatedCount());
            assertEquals(List.of("record-000", "record-001"), texts(journal.peek(10)));
        }
    }

    @Test
    void dropOldestKeepsTheNewestAndCountsEveryDrop() throws IOException {
        JournalSettings settings = JournalSettings.bounded(10L * RECORD_BYTES, OverflowPolicy.DROP_OLDEST);
        try (ForwardJournal journal = ForwardJournal.open(dir, settings)) {
            for (int i = 0; i < 15; i++) {
                assertTrue(journal.append(bytes(i)));
            }
            assertEquals(10, journal.backlog());
            assertEquals(5, journal.droppedCount());
            assertTrue(journal.bytes() <= settings.maxBytes());
            assertEquals(IntStream.range(5, 15).mapToObj(ForwardJournalTest::text).toList(), texts(journal.peek(100)));
        }
    }

    @Test
    void rejectNewKeepsTheOldestAndCountsEveryRejection() throws IOException {
        JournalSettings settings = JournalSettings.bounded(10L * RECORD_BYTES, OverflowPolicy.REJECT_NEW);
        try (ForwardJournal journal = ForwardJournal.open(dir, settings)) {
            long stored = IntStream.range(0, 15).filter(i -> journal.append(bytes(i))).count();
            assertEquals(10, stored);
            assertEquals(10, journal.backlog());
            assertEquals(5, journal.droppedCount());
            assertEquals(IntStream.range(0, 10).mapToObj(ForwardJournalTest::text).toList(), texts(journal.peek(100)));
            journal.acknowledge(journal.peek(1).get(0));
            assertTrue(journal.append(bytes(15)), "room again after an acknowledgement");
        }
    }

    @Test
    void maxRecordsIsEnforcedToo() throws IOException {
        JournalSettings settings = JournalSettings.defaults().withMaxRecords(3);
        try (ForwardJournal journal = ForwardJournal.open(dir, settings)) {
            appendRecords(journal, 0, 5);
            assertEquals(3, journal.backlog());
            assertEquals(2, journal.droppedCount());
            assertEquals(List.of("record-002", "record-003", "record-004"), texts(journal.peek(10)));
        }
    }

    @Test
    void recordLargerThanTheWholeJournalIsRefusedAndCounted() throws IOException {
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.bounded(100, OverflowPolicy.DROP_OLDEST))) {
            appendRecords(journal, 0, 2);
            assertFalse(journal.append(new byte[200]));
            assertEquals(1, journal.droppedCount());
            assertEquals(2, journal.backlog(), "nothing dropped to make room for a record that can never fit");
        }
    }

    @Test
    void acknowledgedSegmentsAreDeleted() throws IOException {
        JournalSettings settings = JournalSettings.defaults().withSegmentBytes(4096);
        byte[] kilobyte = new byte[1000]; // 4 records per 4 KiB segment
        try (ForwardJournal journal = ForwardJournal.open(dir, settings)) {
            for (int i = 0; i < 12; i++) {
                kilobyte[0] = (byte) i;
                journal.append(kilobyte);
            }
            assertEquals(3, segments().size());
            List<ForwardJournal.Entry> entries = journal.peek(12);
            assertEquals(11, entries.get(11).bytes()[0]);

            journal.acknowledge(entries.get(5));
            assertEquals(2, segments().size(), "the first segment is fully acknowledged");
            assertEquals(6, journal.backlog());
            assertEquals(6, journal.peek(1).get(0).bytes()[0]);

            journal.acknowledge(entries.get(11));
            assertEquals(List.of(), segments());
        }
        try (ForwardJournal journal = ForwardJournal.open(dir, settings)) {
            assertTrue(journal.isEmpty());
            journal.append(kilobyte);
            assertEquals(1, journal.backlog());
        }
    }

    @Test
    void droppingOldestAlsoDeletesSegments() throws IOException {
        JournalSettings settings = JournalSettings.bounded(8 * 1008, OverflowPolicy.DROP_OLDEST).withSegmentBytes(4096);
        try (ForwardJournal journal = ForwardJournal.open(dir, settings)) {
            for (int i = 0; i < 40; i++) {
                journal.append(new byte[1000]);
            }
            assertEquals(8, journal.backlog());
            assertEquals(32, journal.droppedCount());
            assertTrue(segments().size() <= 3, "disk use stays within maxBytes plus one segment: " + segments());
        }
    }

    @Test
    void intervalFsyncPolicyStillKeepsDataAcrossAGracefulReopen() throws IOException {
        JournalSettings settings = JournalSettings.defaults().withFsyncInterval(60_000);
        try (ForwardJournal journal = ForwardJournal.open(dir, settings)) {
            appendRecords(journal, 0, 4);
            journal.acknowledge(journal.peek(1).get(0));
        }
        try (ForwardJournal journal = ForwardJournal.open(dir, settings)) {
            assertEquals(List.of("record-001", "record-002", "record-003"), texts(journal.peek(10)));
        }
    }

    @Test
    void oneDirectoryServesOneJournalAtATime() throws IOException {
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            assertThrows(IOException.class, () -> ForwardJournal.open(dir, JournalSettings.defaults()));
        }
        ForwardJournal.open(dir, JournalSettings.defaults()).close();
    }

    @Test
    void corruptPositionFileReplaysEverythingRatherThanLosingAnything() throws IOException {
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            appendRecords(journal, 0, 3);
            journal.acknowledge(journal.peek(1).get(0));
        }
        Files.write(dir.resolve("acked.pos"), new byte[]{1, 2, 3});
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            assertEquals(List.of("record-000", "record-001", "record-002"), texts(journal.peek(10)));
        }
    }

    @Test
    void theSendCursorRunsAheadOfTheHeadAndGoesBackOnRewind() throws IOException {
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            appendRecords(journal, 0, 6);
            assertEquals(6, journal.unsent());

            List<ForwardJournal.Entry> batch = journal.peekUnsent(4);
            assertEquals(List.of("record-000", "record-001", "record-002", "record-003"), texts(batch));
            batch.forEach(journal::markSent);
            assertEquals(2, journal.unsent());
            assertEquals(4, journal.sentUnacknowledged());
            assertEquals(6, journal.backlog(), "sent is not forgotten");
            assertEquals(List.of("record-004", "record-005"), texts(journal.peekUnsent(10)));
            assertTrue(journal.isSent(batch.get(3).position()));
            assertTrue(journal.isNextToSend(batch.get(3).position() + 1));

            journal.acknowledge(batch.get(1));   // the server has the first two
            assertEquals(4, journal.backlog());
            assertEquals(2, journal.sentUnacknowledged());

            assertEquals(2, journal.rewind());
            assertEquals(List.of("record-002", "record-003", "record-004", "record-005"), texts(journal.peekUnsent(10)));
            journal.markSent(batch.get(0));   // behind the cursor: nothing happens
            assertEquals(4, journal.unsent());
        }
    }

    @Test
    void anAcknowledgementPastTheCursorMovesItAlong() throws IOException {
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            appendRecords(journal, 0, 5);
            List<ForwardJournal.Entry> all = journal.peek(5);
            journal.markSent(all.get(0));
            journal.acknowledge(all.get(2));   // acknowledged before this process sent them (a previous run did)

            assertEquals(List.of("record-003", "record-004"), texts(journal.peekUnsent(10)));
            assertEquals(0, journal.sentUnacknowledged());
        }
    }

    @Test
    void theCursorCrossesSegmentsAndARestartSendsEverythingUnacknowledgedAgain() throws IOException {
        JournalSettings small = JournalSettings.defaults().withSegmentBytes(4096);
        try (ForwardJournal journal = ForwardJournal.open(dir, small)) {
            appendRecords(journal, 0, 600);   // 18 bytes each: three segments
            int sent = 0;
            while (sent < 500) {
                List<ForwardJournal.Entry> batch = journal.peekUnsent(7);
                assertEquals(text(sent), text(batch.get(0).bytes()));
                for (ForwardJournal.Entry entry : batch) {
                    assertEquals(text(sent++), text(entry.bytes()));
                    journal.markSent(entry);
                }
            }
            appendRecords(journal, 600, 300);
            List<String> rest = texts(journal.peekUnsent(1000));
            assertEquals(IntStream.range(sent, 900).mapToObj(ForwardJournalTest::text).toList(), rest);
            journal.acknowledge(journal.peek(300).get(299));
        }
        try (ForwardJournal journal = ForwardJournal.open(dir, small)) {
            assertEquals(600, journal.unsent(), "after a restart nothing counts as sent");
            assertEquals(text(300), text(journal.peekUnsent(1).get(0).bytes()));
        }
    }

    @Test
    void droppingTheOldestPullsTheCursorWithIt() throws IOException {
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults().withMaxRecords(3))) {
            appendRecords(journal, 0, 3);
            journal.markSent(journal.peekUnsent(1).get(0));
            appendRecords(journal, 3, 2);   // drops record-000 and record-001

            assertEquals(List.of("record-002", "record-003", "record-004"), texts(journal.peekUnsent(10)));
            assertEquals(0, journal.sentUnacknowledged());
        }
    }

    private static void appendRecords(ForwardJournal journal, int from, int count) {
        for (int i = from; i < from + count; i++) {
            assertTrue(journal.append(bytes(i)));
        }
    }

    private static byte[] bytes(int i) {
        return text(i).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(int i) {
        return String.format("record-%03d", i);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<ForwardJournal.Entry> entries) {
        return entries.stream().map(e -> text(e.bytes())).toList();
    }

    private Path onlySegment() throws IOException {
        List<Path> segments = segments();
        assertEquals(1, segments.size());
        return segments.get(0);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> JournalSegment.baseOf(p).isPresent()).sorted().toList();
        }
    }

    @Test
    void payloadsComeBackByteForByte() throws IOException {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            journal.append(binary);
            journal.append(new byte[0]);
        }
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            List<ForwardJournal.Entry> entries = journal.peek(10);
            assertArrayEquals(binary, entries.get(0).bytes());
            assertArrayEquals(new byte[0], entries.get(1).bytes());
        }
    }
}
