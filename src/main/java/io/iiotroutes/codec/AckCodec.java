package io.iiotroutes.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iiotroutes.model.Acknowledgement;
import io.iiotroutes.model.NodeMessage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The acknowledgement payload of contract version 1:
 * {@code {"version":1,"site":..,"node":..,"ranges":[[first,last],...],"ts":..,"by":..}} ({@code by}, the storing
 * replica, is optional and ignored by the nodes). The server encodes at most
 * {@link #MAX_RANGES} ranges per message; the node decodes strictly and within the same bounds, so a broken or
 * hostile publisher on its acknowledgement topic costs it bounded work.
 */
public final class AckCodec {

    /** Ranges per acknowledgement message; more are sent as several messages. */
    public static final int MAX_RANGES = 1024;
    /** 1024 ranges of two 19-digit numbers fit well within this. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /** An MQTT client id is at most 65,535 bytes; ours are short, and a longer {@code by} is not ours. */
    static final int MAX_BY_CHARS = 256;

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public byte[] encode(Acknowledgement ack) {
        if (ack.ranges().size() > MAX_RANGES) {
            throw new IllegalArgumentException(ack.ranges().size() + " ranges in one acknowledgement; at most " + MAX_RANGES);
        }
        ObjectNode root = mapper.createObjectNode();
        root.put("version", NodeMessage.SCHEMA_VERSION);
        root.put("site", ack.site());
        root.put("node", ack.node());
        ArrayNode ranges = root.putArray("ranges");
        for (long[] range : ack.ranges()) {
            ranges.addArray().add(range[0]).add(range[1]);
        }
        root.put("ts", ack.timestamp());
        if (!ack.by().isEmpty()) {
            root.put("by", ack.by());
        }
        try {
            return mapper.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + ack, e);
        }
    }

    public Acknowledgement decode(byte[] payload) throws InvalidMessageException {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new InvalidMessageException("acknowledgement of " + payload.length + " bytes; at most " + MAX_PAYLOAD_BYTES);
        }
        JsonNode root;
        try {
            root = mapper.readTree(payload);
        } catch (IOException e) {
            throw new InvalidMessageException("acknowledgement is not JSON: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidMessageException("acknowledgement is not a JSON object");
        }
        if (root.path("version").asInt(-1) != NodeMessage.SCHEMA_VERSION) {
            throw new InvalidMessageException("acknowledgement version " + root.path("version") + " is not "
                    + NodeMessage.SCHEMA_VERSION);
        }
        String site = text(root, "site");
        String node = text(root, "node");
        JsonNode ranges = root.get("ranges");
        if (ranges == null || !ranges.isArray()) {
            throw new InvalidMessageException("ranges missing or not an array");
        }
        if (ranges.size() > MAX_RANGES) {
            throw new InvalidMessageException(ranges.size() + " ranges; at most " + MAX_RANGES);
        }
        List<long[]> list = new ArrayList<>(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            JsonNode range = ranges.get(i);
            if (!range.isArray() || range.size() != 2 || !range.get(0).canConvertToExactIntegral()
                    || !range.get(1).canConvertToExactIntegral() || !range.get(0).canConvertToLong()
                    || !range.get(1).canConvertToLong()) {
                throw new InvalidMessageException("ranges[" + i + "] is not a pair of integers");
            }
            long first = range.get(0).asLong();
            long last = range.get(1).asLong();
            if (first < 0 || first > last) {
                throw new InvalidMessageException("ranges[" + i + "] = [" + first + ", " + last + "] is not a range of seq");
            }
            list.add(new long[]{first, last});
        }
        JsonNode ts = root.get("ts");
        JsonNode by = root.get("by");
        return new Acknowledgement(site, node, list, ts != null && ts.canConvertToLong() ? ts.asLong() : 0,
                by != null && by.isTextual() && by.asText().length() <= MAX_BY_CHARS ? by.asText() : "");
    }

    private static String text(JsonNode root, String field) throws InvalidMessageException {
        JsonNode value = root.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidMessageException(field + " missing or not a string");
        }
        return value.asText();
    }
}
