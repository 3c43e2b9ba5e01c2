package io.iiotroutes.edge.forward;

import io.iiotroutes.broker.BrokerSettings;
import io.iiotroutes.broker.EmbeddedMqttBroker;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.TopicContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.iiotroutes.edge.forward.TestMessages.NODE;
import static io.iiotroutes.edge.forward.TestMessages.SITE;
import static io.iiotroutes.edge.forward.TestMessages.settings;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Birth, will and shutdown status on {@code iiot/v1/{site}/{node}/status}, seen by a real subscriber. */
class PublisherStatusIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String STATUS = TopicContract.statusTopic(SITE, NODE);

    @TempDir
    Path tmp;

    private EmbeddedMqttBroker broker;

    @BeforeEach
    void startBroker() {
        broker = new EmbeddedMqttBroker(tmp.resolve("broker"),
                new BrokerSettings("127.0.0.1", FreePort.find(), false, 1000, 65_535));
        broker.start();
    }

    @AfterEach
    void stopBroker() {
        broker.stop();
    }

    @Test
    void retainedOnlineThenWillOnConnectionLossThenShutdownOnClose() throws Exception {
        KillableSocketFactory sockets = new KillableSocketFactory();
        StoreAndForwardPublisher publisher = new StoreAndForwardPublisher(settings(broker.getUrl(),
                tmp.resolve("journal")), new JsonMessageCodec(), sockets);
        try (publisher) {
            publisher.start();
            assertTrue(publisher.isConnected());
            try (TestSubscriber watcher = TestSubscriber.fresh(broker.getUrl(), "status-watcher", STATUS)) {
                await().atMost(TIMEOUT).until(() -> !watcher.statuses.isEmpty());
                TestSubscriber.Status birth = watcher.statuses.get(0);
                assertTrue(birth.retained(), "a late subscriber gets the retained birth");
                assertEquals("online", birth.state());
                assertEquals(1, birth.json().path("version").asInt());
                assertEquals(SITE, birth.json().path("site").asText());
                assertEquals(NODE, birth.json().path("node").asText());
                assertTrue(birth.json().path("ts").asLong() > 1_600_000_000_000L);
                assertNull(birth.reason());

                sockets.killAll(); // no DISCONNECT packet: the broker must publish the will
                await().atMost(TIMEOUT).until(() -> watcher.statuses.size() >= 2);
                TestSubscriber.Status will = watcher.statuses.get(1);
                assertEquals("offline", will.state());
                assertEquals("connection lost", will.reason());
                assertEquals(SITE, will.json().path("site").asText());
                assertTrue(will.json().path("ts").asLong() > 1_600_000_000_000L);

                await().atMost(TIMEOUT).until(() -> watcher.statuses.size() >= 3 && publisher.isConnected());
                assertEquals("online", watcher.statuses.get(2).state(), "birth again after the reconnect");

                publisher.close();
                await().atMost(TIMEOUT).until(() -> watcher.statuses.size() >= 4);
                TestSubscriber.Status shutdown = watcher.statuses.get(3);
                assertEquals("offline", shutdown.state());
                assertEquals("shutdown", shutdown.reason());
                assertEquals(4, watcher.statuses.size(), "a clean disconnect does not fire the will");
            }
            try (TestSubscriber late = TestSubscriber.fresh(broker.getUrl(), "late-watcher", STATUS)) {
                await().atMost(TIMEOUT).until(() -> !late.statuses.isEmpty());
                assertEquals("shutdown", late.statuses.get(0).reason(), "the shutdown status is retained");
                assertFalse(publisher.isConnected());
            }
        }
    }
}
