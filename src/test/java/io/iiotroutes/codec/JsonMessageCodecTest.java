package io.iiotroutes.codec;

import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonMessageCodecTest {

    private final JsonMessageCodec codec = new JsonMessageCodec();

    @Test
    void encodesTheDocumentedPayload() {
        NodeMessage message = NodeMessage.live("plant1", "node-1", 42, 1_763_928_000_123L, List.of(
                new Reading("ai1", 5.0, "bar", 16000L, Quality.GOOD, null),
                new Reading("rtd1", null, "degC", null, Quality.BAD, "wire break")));

        String json = new String(codec.encode(message), StandardCharsets.UTF_8);

        assertEquals("{\"version\":1,\"site\":\"plant1\",\"node\":\"node-1\",\"seq\":42,\"ts\":1763928000123,"
                + "\"readings\":[{\"channel\":\"ai1\",\"value\":5.0,\"unit\":\"bar\",\"raw\":16000,\"quality\":\"GOOD\"},"
                + "{\"channel\":\"rtd1\",\"value\":null,\"unit\":\"degC\",\"quality\":\"BAD\",\"reason\":\"wire break\"}]}", json);
    }

    @Test
    void decodesWhatItEncodes() throws InvalidMessageException {
        NodeMessage message = new NodeMessage(1, "s", "n", 7, 1000L, true, List.of(
                new Reading("ai2", -3.25, "V", -1234L, Quality.UNCERTAIN, "clamped")));

        assertEquals(message, codec.decode(codec.encode(message)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json              | {oops                                                                    | malformed JSON",
            "array                 | []                                                                       | not a JSON object",
            "unknown version       | {'version':2,'site':'s','node':'n','seq':1,'ts':1,'readings':[]}          | unknown schema version 2",
            "seq as text           | {'version':1,'site':'s','node':'n','seq':'1','ts':1,'readings':[]}        | 'seq' must be an integer",
            "no readings           | {'version':1,'site':'s','node':'n','seq':1,'ts':1,'readings':[]}          | 'readings' must be a non-empty array",
            "value as text         | {'version':1,'site':'s','node':'n','seq':1,'ts':1,'readings':[{'channel':'a','value':'1','unit':'V','quality':'GOOD'}]} | readings[0].value must be a number",
            "NaN                   | {'version':1,'site':'s','node':'n','seq':1,'ts':1,'readings':[{'channel':'a','value':NaN,'unit':'V','quality':'GOOD'}]} | malformed JSON",
            "huge number           | {'version':1,'site':'s','node':'n','seq':1,'ts':1,'readings':[{'channel':'a','value':1e999,'unit':'V','quality':'GOOD'}]} | readings[0].value is not finite",
            "bad quality           | {'version':1,'site':'s','node':'n','seq':1,'ts':1,'readings':[{'channel':'a','value':1,'unit':'V','quality':'OK'}]} | readings[0].quality must be GOOD",
            "null value but GOOD   | {'version':1,'site':'s','node':'n','seq':1,'ts':1,'readings':[{'channel':'a','value':null,'unit':'V','quality':'GOOD'}]} | may be null only when quality is BAD",
            "trailing garbage      | {'version':1,'site':'s','node':'n','seq':1,'ts':1,'readings':[{'channel':'a','value':1,'unit':'V','quality':'GOOD'}]} x | malformed JSON",
            "duplicate key         | {'version':1,'version':1,'site':'s','node':'n','seq':1,'ts':1,'readings':[{'channel':'a','value':1,'unit':'V','quality':'GOOD'}]} | malformed JSON",
    })
    void rejectsPayloadsThatBreakTheContractSayingWhy(String name, String payload, String reason) {
        byte[] bytes = payload.replace('\'', '"').getBytes(StandardCharsets.UTF_8);

        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> codec.decode(bytes));

        assertTrue(e.getMessage().contains(reason), () -> name + ": " + e.getMessage());
    }
}
