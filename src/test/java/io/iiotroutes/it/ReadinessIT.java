package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Readiness means "what you publish now is stored": a node that starts publishing on the first 200 of
 * /observe/health/ready, on a fresh broker that keeps nothing for sessions it has not seen, loses nothing.
 */
class ReadinessIT {

    private static final int COUNT = 10;

    @TempDir
    Path dataDir;
    private IiotApplication app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void aNodeThatStartsOnTheFirstReadyLosesNothing() throws Exception {
        TestServer server = TestServer.of(Mode.SERVER, dataDir).anonymousPublishers();
        String ready = "http://127.0.0.1:" + server.webPort() + "/observe/health/ready";
        CompletableFuture<IiotApplication> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return server.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> Http.get(ready).status() == 200);

        JsonMessageCodec codec = new JsonMessageCodec();
        MqttClient node = new MqttClient("tcp://127.0.0.1:" + server.brokerPort(), "it-ready-1", new MemoryPersistence());
        node.connect();
        long now = System.currentTimeMillis();
        for (long seq = 1; seq <= COUNT; seq++) {
            node.publish(TopicContract.dataTopic("it", "ready-1"), codec.encode(NodeMessage.live("it", "ready-1", seq,
                    now + seq, List.of(Reading.good("ai1", seq, "bar", null)))), 1, false);
        }
        node.disconnect();
        node.close();

        app = starting.join();
        String tsdbUrl = app.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(COUNT, TsdbRows.count(tsdbUrl, "node = 'ready-1'")));
    }
}
