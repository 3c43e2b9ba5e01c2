package io.iiotroutes.edge.forward;

import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.iiotroutes.edge.forward.TestMessages.message;
import static io.iiotroutes.edge.forward.TestMessages.seqs;
import static io.iiotroutes.edge.forward.TestMessages.settings;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A journal that fills up during an outage (no broker listens): losses follow the policy and are counted. */
class PublisherOverflowIT {

    private static final int MESSAGES = 50;

    @TempDir
    Path tmp;

    private final JsonMessageCodec codec = new JsonMessageCodec();

    @Test
    void dropOldestKeepsTheNewestMessagesAndCountsTheRest() throws Exception {
        JournalSettings small = JournalSettings.bounded(recordBytes(MESSAGES - 9, MESSAGES), OverflowPolicy.DROP_OLDEST);
        PublisherStats stats = publishWhileBrokerIsAbsent(small);
        assertEquals(MESSAGES, stats.journaled());
        assertEquals(10, stats.backlog());
        assertEquals(MESSAGES - 10, stats.dropped());
        assertTrue(stats.backlogBytes() <= small.maxBytes());
        assertEquals(seqs(MESSAGES - 9, MESSAGES), journaledSeqs(small));
    }

    @Test
    void rejectNewKeepsTheOldestMessagesAndCountsTheRest() throws Exception {
        JournalSettings small = JournalSettings.bounded(recordBytes(1, 10), OverflowPolicy.REJECT_NEW);
        PublisherStats stats = publishWhileBrokerIsAbsent(small);
        assertEquals(10, stats.journaled());
        assertEquals(MESSAGES - 10, stats.dropped());
        assertEquals(seqs(1, 10), journaledSeqs(small));
    }

    @Test
    void messagesOfAnotherNodeOrBeforeStartAreProgrammingErrors() {
        StoreAndForwardPublisher publisher = new StoreAndForwardPublisher(settings(absentBroker(), tmp), codec);
        assertThrows(IllegalStateException.class, () -> publisher.publish(message(1)));
        NodeMessage foreign = NodeMessage.live("plant1", "other", 1, 1, List.of(Reading.good("ai1", 1, "bar", 1L)));
        assertThrows(IllegalArgumentException.class, () -> publisher.publish(foreign));
    }

    @Test
    void closeWhileReconnectingLeavesNoThreadBehind() throws Exception {
        PublisherSettings settings = settings(absentBroker(), tmp.resolve("journal"));
        try (StoreAndForwardPublisher publisher = new StoreAndForwardPublisher(settings, codec)) {
            publisher.start();
            publisher.publish(message(1));
            await().atMost(Duration.ofSeconds(5)).until(() -> !threadsOf(settings.clientId()).isEmpty());
        }
        // the connect and replay threads and Paho's threads end with close(): nothing keeps the JVM alive
        await().atMost(Duration.ofSeconds(10)).until(() -> threadsOf(settings.clientId()).isEmpty());
    }

    private static List<String> threadsOf(String clientId) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.contains(clientId)).toList();
    }

    private PublisherStats publishWhileBrokerIsAbsent(JournalSettings journal) throws Exception {
        try (StoreAndForwardPublisher publisher = new StoreAndForwardPublisher(
                settings(absentBroker(), tmp.resolve("journal")).withJournal(journal), codec)) {
            publisher.start();
            for (long seq = 1; seq <= MESSAGES; seq++) {
                publisher.publish(message(seq));
            }
            assertFalse(publisher.isConnected());
            return publisher.stats();
        }
    }

    /** What the next start would replay: decoded from the journal the publisher left. */
    private List<Long> journaledSeqs(JournalSettings journal) throws Exception {
        List<Long> seqs = new ArrayList<>();
        try (ForwardJournal reopened = ForwardJournal.open(tmp.resolve("journal"), journal)) {
            for (ForwardJournal.Entry entry : reopened.peek(MESSAGES)) {
                NodeMessage message = codec.decode(JournalRecord.fromBytes(entry.bytes()).payload());
                assertTrue(message.historical());
                seqs.add(message.seq());
            }
        }
        return seqs;
    }

    /** Journal bytes of these test messages: historical payload, seq, time and topic framing, record header each. */
    private long recordBytes(long fromSeq, long toSeq) {
        long bytes = 0;
        for (long seq = fromSeq; seq <= toSeq; seq++) {
            NodeMessage live = message(seq);
            NodeMessage historical = new NodeMessage(live.version(), live.site(), live.node(), live.seq(),
                    live.timestamp(), true, live.readings());
            // format 2: seq and journaled-at are fixed-width, so their values do not change the size
            byte[] record = new JournalRecord("iiot/v1/plant1/edge1/data", codec.encode(historical), seq, 0).toBytes();
            bytes += record.length + JournalSegment.RECORD_HEADER_BYTES;
        }
        return bytes;
    }

    private static String absentBroker() {
        return "tcp://127.0.0.1:" + FreePort.find();
    }
}
