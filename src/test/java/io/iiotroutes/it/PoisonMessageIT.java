package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import org.apache.camel.builder.AdviceWith;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message that triggers a bug (here: an exception injected into the real ingest route for one channel name) is
 * retried a few times, then dead-lettered as an internal error, and the stream of its node goes on; before, it was
 * retried forever and blocked the node's session for good.
 */
class PoisonMessageIT {

    private static final String NODE = "poison-1";
    private static final int RETRIES = 2;

    @TempDir
    Path dataDir;
    private IiotApplication app;
    private int brokerPort;
    private int webPort;
    private final AtomicInteger poisonAttempts = new AtomicInteger();

    @BeforeEach
    void startServerWithABug() throws Exception {
        TestServer server = TestServer.of(Mode.SERVER, dataDir).anonymousPublishers()
                .with("iiot.server.internal-error-retries", Integer.toString(RETRIES))
                .with("iiot.server.retry-delay-ms", "100");
        brokerPort = server.brokerPort();
        webPort = server.webPort();
        app = server.start();
        // the "bug": the ingest route throws for every message that has a channel named 'poison'
        AdviceWith.adviceWith(app.context(), "server-ingest-process", route -> route
                .weaveByToUri("direct:server-ingest-store").before().process(exchange -> {
                    NodeMessage message = exchange.getProperty("iiotMessage", NodeMessage.class);
                    if (message.readings().stream().anyMatch(r -> r.channel().equals("poison"))) {
                        poisonAttempts.incrementAndGet();
                        throw new IllegalStateException("injected bug for seq " + message.seq());
                    }
                }));
    }

    @AfterEach
    void stopServer() throws Exception {
        app.stop();
    }

    @Test
    void aMessageThatTriggersABugIsDeadLetteredAfterItsRetriesAndTheStreamGoesOn() throws Exception {
        JsonMessageCodec codec = new JsonMessageCodec();
        MqttClient node = new MqttClient("tcp://127.0.0.1:" + brokerPort, "it-" + NODE, new MemoryPersistence());
        node.connect();
        long now = System.currentTimeMillis();
        for (long seq = 1; seq <= 20; seq++) {
            String channel = seq == 5 ? "poison" : "ai1";
            node.publish(TopicContract.dataTopic("it", NODE), codec.encode(NodeMessage.live("it", NODE, seq, now + seq,
                    List.of(Reading.good(channel, seq, "bar", null)))), 1, false);
        }
        node.disconnect();
        node.close();

        String tsdbUrl = app.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
        await().atMost(Duration.ofSeconds(60)).until(() -> TsdbRows.count(tsdbUrl, "node = '" + NODE + "'") == 19);
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(tsdbUrl).size() == 1);
        Map<String, Object> letter = deadLetters(tsdbUrl).get(0);
        assertEquals("internal", letter.get("stage"));
        assertEquals("internal error: java.lang.IllegalStateException: injected bug for seq 5", letter.get("reason"));
        assertEquals(1 + RETRIES, poisonAttempts.get(), "first attempt and the configured retries, no more");
        String pipeline = Http.get("http://127.0.0.1:" + webPort + "/api/pipeline").body();
        assertTrue(pipeline.contains("\"deadLettersByStage\":{\"internal\":1}"), pipeline);
    }

    private static List<Map<String, Object>> deadLetters(String tsdbUrl) {
        try {
            return TsdbRows.query(tsdbUrl, "SELECT stage, reason FROM deadletter WHERE node = '" + NODE + "'");
        } catch (IllegalStateException e) {
            return List.of();
        }
    }
}
