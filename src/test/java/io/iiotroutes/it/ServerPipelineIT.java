package io.iiotroutes.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import org.apache.camel.Exchange;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The real server (embedded HiveMQ and QuestDB, real routes) fed over MQTT, read back from the TSDB and a WebSocket. */
class ServerPipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonMessageCodec codec = new JsonMessageCodec();

    @TempDir
    Path dataDir;
    private IiotApplication app;
    private int brokerPort;
    private int webPort;

    @BeforeEach
    void startServer() throws Exception {
        TestServer server = TestServer.of(Mode.SERVER, dataDir).anonymousPublishers();
        brokerPort = server.brokerPort();
        webPort = server.webPort();
        app = server.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        app.stop();
    }

    private String tsdbUrl() {
        return app.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
    }

    private static List<NodeMessage> knownSequence() {
        long base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60).toEpochMilli();
        List<NodeMessage> messages = new ArrayList<>();
        for (int seq = 1; seq <= 10; seq++) {
            Reading rtd = seq == 5
                    ? new Reading("rtd1", null, "degC", null, Quality.BAD, "wire break")
                    : new Reading("rtd1", 20 + seq / 10.0, "degC", 1000L + seq, Quality.GOOD, null);
            messages.add(NodeMessage.live("it", "press-7", seq, base + seq * 1000L + 123, List.of(
                    new Reading("ai1", seq * 1.5, "bar", 16000L + seq, seq == 3 ? Quality.UNCERTAIN : Quality.GOOD,
                            seq == 3 ? "clamped" : null),
                    rtd)));
        }
        return messages;
    }

    @Test
    void storesAndBroadcastsExactlyThePublishedReadings() throws Exception {
        List<NodeMessage> published = knownSequence();
        try (LiveClient live = new LiveClient("127.0.0.1", webPort)) {
            MqttClient publisher = new MqttClient("tcp://127.0.0.1:" + brokerPort, "it-press-7", new MemoryPersistence());
            publisher.connect();
            for (NodeMessage message : published) {
                publisher.publish(TopicContract.dataTopic("it", "press-7"), codec.encode(message), 1, false);
            }
            publisher.disconnect();
            publisher.close();

            await().atMost(Duration.ofSeconds(30)).until(() -> TsdbRows.count(tsdbUrl(), "node = 'press-7'") == 20);
            List<Map<String, Object>> rows = TsdbRows.query(tsdbUrl(), "SELECT site, node, channel, unit, value, raw, "
                    + "quality, reason, seq, historical, timestamp FROM reading WHERE node = 'press-7' ORDER BY seq, channel");
            assertEquals(ReadingRows.expected(published, "timestamp",
                    m -> Instant.ofEpochMilli(m.timestamp()).toString().replace("Z", "000Z")), rows);

            await().atMost(Duration.ofSeconds(10)).until(() -> live.frames().size() == published.size());
            for (int i = 0; i < published.size(); i++) {
                assertEquals(JSON.readTree(codec.encode(published.get(i))), live.frames().get(i));
            }
        }
    }

    @Test
    void aFailedTsdbWriteFailsTheExchange() {
        app.runtime().embeddedTsdb().orElseThrow().stop();
        NodeMessage message = NodeMessage.live("it", "down-1", 1, System.currentTimeMillis(),
                List.of(Reading.good("ai1", 1.0, "bar", null)));

        Exchange result = app.context().createProducerTemplate()
                .send("direct:server-ingest-store", exchange -> exchange.setProperty("iiotMessage", message));

        assertNotNull(result.getException(), "the write to a stopped TSDB must fail the exchange");
        Throwable root = result.getException();
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertInstanceOf(java.net.ConnectException.class, root, () -> "expected a refused connection, got " + result.getException());
    }
}
