package io.iiotroutes.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON payload of contract version 1 (docs/contract.md). Decoding is strict: every rule broken is reported
 * with the field that broke it, because the reason ends up in the dead-letter record an operator reads.
 */
public class JsonMessageCodec implements MessageEncoder, MessageDecoder {

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @Override
    public byte[] encode(NodeMessage message) {
        ObjectNode root = mapper.createObjectNode();
        root.put("version", message.version());
        root.put("site", message.site());
        root.put("node", message.node());
        root.put("seq", message.seq());
        root.put("ts", message.timestamp());
        if (message.historical()) {
            root.put("historical", true);
        }
        ArrayNode readings = root.putArray("readings");
        for (Reading reading : message.readings()) {
            ObjectNode r = readings.addObject();
            r.put("channel", reading.channel());
            if (reading.value() == null) {
                r.putNull("value");
            } else {
                r.put("value", reading.value());
            }
            r.put("unit", reading.unit());
            if (reading.raw() != null) {
                r.put("raw", reading.raw());
            }
            r.put("quality", reading.quality().name());
            if (reading.reason() != null) {
                r.put("reason", reading.reason());
            }
        }
        try {
            return mapper.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message, e);
        }
    }

    /** The same JSON as {@link #encode}, as text: what the live WebSocket sends. */
    public String encodeToString(NodeMessage message) {
        return new String(encode(message), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public NodeMessage decode(byte[] payload) throws InvalidMessageException {
        JsonNode root;
        try {
            root = mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidMessageException("unreadable payload: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidMessageException("payload is not a JSON object");
        }
        int version = (int) requiredLong(root, "version");
        if (version != NodeMessage.SCHEMA_VERSION) {
            throw new InvalidMessageException("unknown schema version " + version
                    + " (this server accepts " + NodeMessage.SCHEMA_VERSION + ")");
        }
        String site = requiredText(root, "site");
        String node = requiredText(root, "node");
        long seq = requiredLong(root, "seq");
        long timestamp = requiredLong(root, "ts");
        JsonNode historicalNode = root.get("historical");
        if (historicalNode != null && !historicalNode.isBoolean()) {
            throw new InvalidMessageException("field 'historical' must be a boolean");
        }
        boolean historical = historicalNode != null && historicalNode.booleanValue();
        JsonNode readingsNode = root.get("readings");
        if (readingsNode == null || !readingsNode.isArray() || readingsNode.isEmpty()) {
            throw new InvalidMessageException("field 'readings' must be a non-empty array");
        }
        List<Reading> readings = new ArrayList<>(readingsNode.size());
        for (int i = 0; i < readingsNode.size(); i++) {
            readings.add(decodeReading(readingsNode.get(i), "readings[" + i + "]"));
        }
        return new NodeMessage(version, site, node, seq, timestamp, historical, readings);
    }

    private Reading decodeReading(JsonNode r, String path) throws InvalidMessageException {
        if (!r.isObject()) {
            throw new InvalidMessageException(path + " is not an object");
        }
        String channel = requiredText(r, "channel", path);
        String unit = requiredText(r, "unit", path);
        Double value = null;
        JsonNode valueNode = r.get("value");
        if (valueNode != null && !valueNode.isNull()) {
            if (!valueNode.isNumber()) {
                throw new InvalidMessageException(path + ".value must be a number or null");
            }
            value = valueNode.doubleValue();
            if (!Double.isFinite(value)) {
                throw new InvalidMessageException(path + ".value is not finite");
            }
        }
        Long raw = null;
        JsonNode rawNode = r.get("raw");
        if (rawNode != null && !rawNode.isNull()) {
            if (!rawNode.isIntegralNumber() || !rawNode.canConvertToLong()) {
                throw new InvalidMessageException(path + ".raw must be an integer");
            }
            raw = rawNode.longValue();
        }
        Quality quality;
        String qualityText = requiredText(r, "quality", path);
        try {
            quality = Quality.valueOf(qualityText);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(path + ".quality must be GOOD, UNCERTAIN or BAD, not " + qualityText);
        }
        if (value == null && quality != Quality.BAD) {
            throw new InvalidMessageException(path + ".value may be null only when quality is BAD");
        }
        JsonNode reasonNode = r.get("reason");
        String reason = reasonNode == null || reasonNode.isNull() ? null : reasonNode.asText();
        return new Reading(channel, value, unit, raw, quality, reason);
    }

    private static String requiredText(JsonNode node, String field) throws InvalidMessageException {
        return requiredText(node, field, null);
    }

    private static String requiredText(JsonNode node, String field, String path) throws InvalidMessageException {
        JsonNode value = node.get(field);
        String name = path == null ? "field '" + field + "'" : path + "." + field;
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new InvalidMessageException(name + " must be a non-empty string");
        }
        return value.textValue();
    }

    private static long requiredLong(JsonNode node, String field) throws InvalidMessageException {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidMessageException("field '" + field + "' must be an integer");
        }
        return value.longValue();
    }
}
