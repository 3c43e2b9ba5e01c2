package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An alarm raised and acknowledged before a server restart is still active and acknowledged after it: a reading
 * still above the limit raises nothing new, and the clear names the alarm raised before the restart.
 */
class AlarmRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private IiotApplication app;
    private TestServer server;
    private long seq;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.stop();
        }
    }

    private void startServer() throws Exception {
        Path nodeFile = dir.resolve("alarm-1.yaml");
        if (!Files.exists(nodeFile)) {
            AlarmNodeFile.write(nodeFile, "it", "alarm-1");
        }
        server = TestServer.of(Mode.SERVER, dir.resolve("data")).anonymousPublishers()
                .with("iiot.server.nodes", nodeFile.toString());
        app = server.start();
    }

    /** Publishes one reading and waits until this server instance has received its {@code nth} message. */
    private void publish(double value, long nth) throws Exception {
        MqttClient publisher = new MqttClient("tcp://127.0.0.1:" + server.brokerPort(), "it-alarm-node", new MemoryPersistence());
        publisher.connect();
        NodeMessage message = NodeMessage.live("it", "alarm-1", ++seq, System.currentTimeMillis(),
                List.of(Reading.good("ai1", value, "bar", null)));
        publisher.publish(TopicContract.dataTopic("it", "alarm-1"), new JsonMessageCodec().encode(message), 1, false);
        publisher.disconnect();
        publisher.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> received() >= nth);
    }

    private long received() throws Exception {
        return JSON.readTree(Http.get(url("/api/nodes")).body()).findValues("received").stream()
                .mapToLong(JsonNode::asLong).sum();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.webPort() + path;
    }

    private JsonNode alarms() throws Exception {
        return JSON.readTree(Http.get(url("/api/alarms")).body());
    }

    @Test
    void anAcknowledgedAlarmSurvivesARestart() throws Exception {
        startServer();
        publish(9.0, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> alarms().path("active").size() == 1);
        long id = alarms().path("active").get(0).path("id").asLong();
        HttpResponse<String> ack = HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/alarms/" + id + "/ack")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ack.statusCode(), ack.body());

        app.stop();
        startServer();

        JsonNode restored = alarms().path("active");
        assertEquals(1, restored.size(), restored.toString());
        assertEquals(id, restored.get(0).path("id").asLong());
        assertTrue(restored.get(0).path("acknowledged").asBoolean(), "the acknowledgement survived");

        publish(9.5, 1);   // still above the limit
        JsonNode after = alarms();
        assertEquals(id, after.path("active").get(0).path("id").asLong());
        assertTrue(after.path("active").get(0).path("acknowledged").asBoolean());
        assertEquals(0, after.path("events").size(), "no alarm raised again: " + after.path("events"));

        publish(5.0, 2);   // back below the limit minus the hysteresis
        await().atMost(Duration.ofSeconds(10)).until(() -> alarms().path("active").isEmpty());
        JsonNode cleared = alarms().path("events").get(0);
        assertEquals("CLEARED", cleared.path("event").asText(), cleared.toString());
        assertEquals(id, cleared.path("id").asLong(), "the clear names the alarm raised before the restart");
    }
}
