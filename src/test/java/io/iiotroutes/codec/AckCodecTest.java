package io.iiotroutes.codec;

import io.iiotroutes.model.Acknowledgement;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AckCodecTest {

    private final AckCodec codec = new AckCodec();

    private InvalidMessageException refused(String json) {
        return assertThrows(InvalidMessageException.class, () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void decodesWhatItEncodesAndTheContractsExample() throws Exception {
        Acknowledgement ack = new Acknowledgement("demo", "node-1", List.of(new long[]{118, 240}, new long[]{242, 245}),
                1718000000200L);
        byte[] payload = codec.encode(ack);
        assertEquals("{\"version\":1,\"site\":\"demo\",\"node\":\"node-1\",\"ranges\":[[118,240],[242,245]],\"ts\":1718000000200}",
                new String(payload, StandardCharsets.UTF_8), "the example of docs/contract.md");

        Acknowledgement decoded = codec.decode(payload);
        assertEquals("demo", decoded.site());
        assertEquals("node-1", decoded.node());
        assertArrayEquals(new long[]{242, 245}, decoded.ranges().get(1));
        assertEquals(1718000000200L, decoded.timestamp());
    }

    @Test
    void namesTheStoringReplicaWhenItIsKnown() throws Exception {
        Acknowledgement ack = new Acknowledgement("demo", "node-1", List.<long[]>of(new long[]{1, 2}), 5, "iiot-server-a");
        String json = new String(codec.encode(ack), StandardCharsets.UTF_8);
        assertTrue(json.endsWith(",\"ts\":5,\"by\":\"iiot-server-a\"}"), json);
        assertEquals("iiot-server-a", codec.decode(json.getBytes(StandardCharsets.UTF_8)).by());
        // absent, not a string or absurdly long: not said
        assertEquals("", codec.decode("{\"version\":1,\"site\":\"s\",\"node\":\"n\",\"ranges\":[]}".getBytes(StandardCharsets.UTF_8)).by());
        assertEquals("", codec.decode("{\"version\":1,\"site\":\"s\",\"node\":\"n\",\"ranges\":[],\"by\":7}".getBytes(StandardCharsets.UTF_8)).by());
        assertEquals("", codec.decode(("{\"version\":1,\"site\":\"s\",\"node\":\"n\",\"ranges\":[],\"by\":\""
                + "x".repeat(AckCodec.MAX_BY_CHARS + 1) + "\"}").getBytes(StandardCharsets.UTF_8)).by());
    }

    @Test
    void refusesWhatIsNotAnAcknowledgementWithTheReason() {
        assertTrue(refused("[1,2]").getMessage().contains("not a JSON object"));
        assertTrue(refused("{\"version\":2,\"site\":\"s\",\"node\":\"n\",\"ranges\":[]}").getMessage().contains("version"));
        assertTrue(refused("{\"version\":1,\"node\":\"n\",\"ranges\":[]}").getMessage().contains("site"));
        assertTrue(refused("{\"version\":1,\"site\":\"s\",\"node\":\"n\",\"ranges\":[[5,4]]}").getMessage().contains("ranges[0]"));
        assertTrue(refused("{\"version\":1,\"site\":\"s\",\"node\":\"n\",\"ranges\":[[-1,4]]}").getMessage().contains("ranges[0]"));
        assertTrue(refused("{\"version\":1,\"site\":\"s\",\"node\":\"n\",\"ranges\":[[1,1e30]]}").getMessage().contains("ranges[0]"));
        assertTrue(refused("{\"version\":1,\"site\":\"s\",\"node\":\"n\",\"ranges\":[[1,2,3]]}").getMessage().contains("ranges[0]"));
        assertTrue(refused("{\"version\":1,\"site\":\"s\",\"node\":\"n\",\"ranges\":[[1,2]]} x").getMessage().contains("not JSON"));
    }

    @Test
    void boundsWhatAHostilePublisherCanMakeItDecode() {
        StringBuilder many = new StringBuilder("{\"version\":1,\"site\":\"s\",\"node\":\"n\",\"ranges\":[");
        for (int i = 0; i <= AckCodec.MAX_RANGES; i++) {
            many.append(i == 0 ? "" : ",").append("[").append(i * 2).append(",").append(i * 2).append("]");
        }
        assertTrue(refused(many + "]}").getMessage().contains("at most " + AckCodec.MAX_RANGES));
        byte[] big = new byte[AckCodec.MAX_PAYLOAD_BYTES + 1];
        assertThrows(InvalidMessageException.class, () -> codec.decode(big));
    }
}
