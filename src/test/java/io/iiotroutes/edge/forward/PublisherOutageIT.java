package io.iiotroutes.edge.forward;

import io.iiotroutes.broker.BrokerSettings;
import io.iiotroutes.broker.EmbeddedMqttBroker;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.TopicContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.iiotroutes.edge.forward.TestMessages.NODE;
import static io.iiotroutes.edge.forward.TestMessages.SITE;
import static io.iiotroutes.edge.forward.TestMessages.message;
import static io.iiotroutes.edge.forward.TestMessages.seqs;
import static io.iiotroutes.edge.forward.TestMessages.settings;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broker outages against a real embedded HiveMQ with file persistence. The subscriber holds a persistent session,
 * created while the broker is up, so that what the broker accepts while the subscriber reconnects is queued for it:
 * whatever is missing at the end was lost by the publisher, not by the test.
 */
class PublisherOutageIT {

    private static final Duration DELIVERY = Duration.ofSeconds(40);
    private static final String DATA = TopicContract.dataTopic(SITE, NODE);

    @TempDir
    Path tmp;

    private final JsonMessageCodec codec = new JsonMessageCodec();
    private EmbeddedMqttBroker broker;
    private TestSubscriber subscriber;

    @BeforeEach
    void startBrokerAndSubscriber() throws Exception {
        broker = new EmbeddedMqttBroker(tmp.resolve("broker"), BrokerSettings.defaults("127.0.0.1", FreePort.find()));
        broker.start();
        subscriber = TestSubscriber.persistent(broker.getUrl(), "test-subscriber", DATA);
    }

    @AfterEach
    void stopAll() throws Exception {
        try {
            subscriber.close();
        } finally {
            broker.stop();
        }
    }

    @Test
    void brokerDownAtStartJournalsEverythingAndReplaysItInOrderAsHistorical() throws Exception {
        broker.stop();
        try (StoreAndForwardPublisher publisher = new StoreAndForwardPublisher(settings(broker.getUrl(),
                tmp.resolve("journal")), codec)) {
            publisher.start(); // must not fail: the broker is down
            for (long seq = 1; seq <= 50; seq++) {
                publisher.publish(message(seq));
            }
            PublisherStats offline = publisher.stats();
            assertFalse(offline.connected());
            assertEquals(0, offline.published());
            assertEquals(50, offline.journaled());
            assertEquals(50, offline.backlog());

            broker.start();
            await().atMost(DELIVERY).until(() -> subscriber.data.size() >= 50);
            await().atMost(DELIVERY).until(() -> publisher.stats().backlog() == 0);
            assertEquals(seqs(1, 50), subscriber.seqs());
            assertTrue(subscriber.data.stream().allMatch(NodeMessage::historical), "replayed data is historical");

            for (long seq = 51; seq <= 60; seq++) {
                publisher.publish(message(seq));
            }
            await().atMost(DELIVERY).until(() -> subscriber.data.size() >= 60);
            assertEquals(seqs(1, 60), subscriber.seqs(), "none lost, none duplicated, in order");
            assertTrue(subscriber.data.subList(50, 60).stream().noneMatch(NodeMessage::historical), "live again");
            PublisherStats after = publisher.stats();
            assertEquals(10, after.published());
            assertEquals(50, after.replayed());
            assertEquals(0, after.dropped());
            assertEquals(List.of(), subscriber.undecodable);
        }
    }

    @Test
    void brokerRestartMidStreamLosesNothingAndKeepsOrder() throws Exception {
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        AtomicLong lastSeq = new AtomicLong();
        try (StoreAndForwardPublisher publisher = new StoreAndForwardPublisher(settings(broker.getUrl(),
                tmp.resolve("journal")), codec)) {
            publisher.start();
            assertTrue(publisher.isConnected());
            producer.scheduleAtFixedRate(() -> publisher.publish(message(lastSeq.incrementAndGet())), 0, 5,
                    TimeUnit.MILLISECONDS);

            await().atMost(DELIVERY).until(() -> subscriber.data.size() >= 100);
            broker.stop();
            long journaledBefore = publisher.stats().journaled();
            await().atMost(DELIVERY).until(() -> publisher.stats().journaled() >= journaledBefore + 100);
            broker.start();
            long publishedAfterRestart = publisher.stats().published();
            await().atMost(DELIVERY).until(() -> publisher.stats().backlog() == 0
                    && publisher.stats().published() >= publishedAfterRestart + 100);
            producer.shutdown();
            assertTrue(producer.awaitTermination(10, TimeUnit.SECONDS));

            long published = lastSeq.get();
            await().atMost(DELIVERY).until(() -> new LinkedHashSet<>(subscriber.seqs()).size() >= published);
            List<Long> firstArrivals = new ArrayList<>(new LinkedHashSet<>(subscriber.seqs()));
            assertEquals(seqs(1, published), firstArrivals, "every seq arrives, first arrivals in order");
            PublisherStats stats = publisher.stats();
            assertTrue(stats.replayed() >= 100, "the outage went through the journal: " + stats);
            assertEquals(published, stats.published() + stats.replayed(), "each message delivered once: " + stats);
            assertEquals(0, stats.dropped());
            assertEquals(stats.replayed(), subscriber.data.stream().filter(NodeMessage::historical)
                    .map(NodeMessage::seq).distinct().count(), "every replayed message arrived flagged historical");
        } finally {
            producer.shutdownNow();
        }
    }

    @Test
    void journalSurvivesAPublisherRestartWhileTheBrokerIsDown() throws Exception {
        broker.stop();
        Path journal = tmp.resolve("journal");
        try (StoreAndForwardPublisher first = new StoreAndForwardPublisher(settings(broker.getUrl(), journal), codec)) {
            first.start();
            for (long seq = 1; seq <= 30; seq++) {
                first.publish(message(seq));
            }
            assertEquals(30, first.stats().journaled());
        }
        try (StoreAndForwardPublisher second = new StoreAndForwardPublisher(settings(broker.getUrl(), journal), codec)) {
            second.start();
            assertEquals(30, second.stats().backlog(), "the journal was reopened with everything unsent");
            broker.start();
            await().atMost(DELIVERY).until(() -> subscriber.data.size() >= 30);
            await().atMost(DELIVERY).until(() -> second.stats().backlog() == 0);
            for (long seq = 31; seq <= 40; seq++) {
                second.publish(message(seq));
            }
            await().atMost(DELIVERY).until(() -> subscriber.data.size() >= 40);
            assertEquals(seqs(1, 40), subscriber.seqs());
            assertTrue(subscriber.data.subList(0, 30).stream().allMatch(NodeMessage::historical));
            assertTrue(subscriber.data.subList(30, 40).stream().noneMatch(NodeMessage::historical));
            assertEquals(30, second.stats().replayed());
            assertEquals(10, second.stats().published());
        }
    }
}
