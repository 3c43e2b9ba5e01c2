package io.iiotroutes.edge.forward;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcknowledgementWindowTest {

    private final AcknowledgementWindow window = new AcknowledgementWindow("s", "n");

    private static byte[] ack(String node, String ranges) {
        return ("{\"version\":1,\"site\":\"s\",\"node\":\"" + node + "\",\"ranges\":" + ranges + ",\"ts\":1}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void onlyWhatWasSentCountsAsAcknowledged() {
        window.sent(10);

        assertTrue(window.received(ack("n", "[[1,4],[8," + Long.MAX_VALUE + "]]")));
        assertTrue(window.pending());
        assertTrue(window.isAcknowledged(4));
        assertTrue(window.isAcknowledged(10));
        assertFalse(window.isAcknowledged(11), "above the highest seq sent: not honest");
        assertFalse(window.isAcknowledged(5));

        window.sent(20);
        assertTrue(window.received(ack("n", "[[11,20]]")));
        assertTrue(window.isAcknowledged(20));
    }

    @Test
    void brokenOrForeignAcknowledgementsAreIgnoredAndCounted() {
        window.sent(5);

        assertFalse(window.received("{".getBytes(StandardCharsets.UTF_8)));
        assertFalse(window.received(ack("other", "[[1,5]]")));
        assertFalse(window.received(ack("n", "[[5,1]]")));

        assertEquals(3, window.invalidCount());
        assertFalse(window.isAcknowledged(1));
        assertFalse(window.pending());
    }
}
