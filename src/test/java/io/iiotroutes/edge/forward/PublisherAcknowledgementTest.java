package io.iiotroutes.edge.forward;

import io.iiotroutes.codec.JsonMessageCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static io.iiotroutes.edge.forward.TestMessages.NODE;
import static io.iiotroutes.edge.forward.TestMessages.SITE;
import static io.iiotroutes.edge.forward.TestMessages.message;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What an acknowledgement may make a node forget, without a broker: only what this process has sent. An
 * acknowledgement naming everything ([0, Long.MAX_VALUE]) from a broken server, or from anyone able to publish on
 * the topic, cannot delete messages that were never sent; garbage on the topic is ignored and counted.
 */
class PublisherAcknowledgementTest {

    @TempDir
    Path dir;

    private static byte[] ack(String site, String node, String ranges) {
        return ("{\"version\":1,\"site\":\"" + site + "\",\"node\":\"" + node + "\",\"ranges\":" + ranges + ",\"ts\":1}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anAcknowledgementCannotMakeTheNodeForgetWhatItNeverSent() throws Exception {
        PublisherSettings settings = PublisherSettings.of("tcp://127.0.0.1:" + FreePort.find(), "ack-" + NODE, SITE, NODE,
                dir.resolve("journal")).withTimeouts(1, 5);
        try (StoreAndForwardPublisher publisher = new StoreAndForwardPublisher(settings, new JsonMessageCodec())) {
            publisher.start();   // no broker: everything is journaled, nothing sent
            for (long seq = 1; seq <= 5; seq++) {
                publisher.publish(message(seq));
            }

            publisher.onAck(ack(SITE, NODE, "[[0," + Long.MAX_VALUE + "]]"));
            assertDoesNotThrow(() -> publisher.onAck("not json".getBytes(StandardCharsets.UTF_8)));
            publisher.onAck(ack(SITE, "another-node", "[[1,5]]"));

            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> publisher.stats().backlog() == 5);
            PublisherStats stats = publisher.stats();
            assertEquals(0, stats.acknowledged());
            assertEquals(5, stats.unsent());
        }
    }
}
