package io.iiotroutes.edge.forward;

import io.iiotroutes.broker.BrokerSettings;
import io.iiotroutes.broker.RefusingMqttBroker;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.TopicContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
 * A broker that answers PUBACK 0x87 (not authorized) has not taken the message: it must be journaled, counted as
 * refused, and delivered once the broker accepts again, in order.
 */
class PublisherRefusalIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String DATA = TopicContract.dataTopic(SITE, NODE);

    @TempDir
    Path tmp;

    @Test
    void refusedPublishIsJournaledCountedAndDeliveredLater() throws Exception {
        try (RefusingMqttBroker broker = new RefusingMqttBroker(tmp.resolve("broker"),
                new BrokerSettings("127.0.0.1", FreePort.find(), false, 1000, 65_535))) {
            broker.start();
            try (TestSubscriber subscriber = TestSubscriber.fresh(broker.getUrl(), "data-watcher", DATA);
                 StoreAndForwardPublisher publisher = new StoreAndForwardPublisher(settings(broker.getUrl(),
                         tmp.resolve("journal")), new JsonMessageCodec())) {
                publisher.start();
                publisher.publish(message(1));
                assertEquals(1, publisher.stats().published());

                broker.refuse(DATA);
                publisher.publish(message(2));
                PublisherStats refused = publisher.stats();
                // every refused attempt counts, and the journal may already have retried once under load
                assertTrue(refused.refused() >= 1, "the 0x87 PUBACK was read");
                assertEquals(1, refused.journaled());
                assertEquals(1, refused.published(), "a refused message does not count as published");
                assertTrue(refused.connected(), "a refusal is not a disconnection");
                publisher.publish(message(3));
                publisher.publish(message(4));
                assertEquals(3, publisher.stats().journaled(), "later messages queue behind the refused one");
                await().atMost(TIMEOUT).until(() -> publisher.stats().refused() >= 3);
                assertEquals(3, publisher.stats().backlog(), "replay retries but keeps refused entries");

                broker.refuse(null);
                await().atMost(TIMEOUT).until(() -> subscriber.data.size() >= 4);
                assertEquals(seqs(1, 4), subscriber.seqs());
                List<NodeMessage> replayed = subscriber.data.subList(1, 4);
                assertTrue(replayed.stream().allMatch(NodeMessage::historical));
                assertFalse(subscriber.data.get(0).historical());
                await().atMost(TIMEOUT).until(() -> publisher.stats().backlog() == 0);
                assertEquals(3, publisher.stats().replayed());

                publisher.publish(message(5));
                await().atMost(TIMEOUT).until(() -> subscriber.data.size() >= 5);
                assertEquals(seqs(1, 5), subscriber.seqs());
                assertFalse(subscriber.data.get(4).historical());
            }
        }
    }
}
