package io.iiotroutes.edge.forward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iiotroutes.model.NodeMessage;

/**
 * The retained payloads of {@code iiot/v1/{site}/{node}/status}:
 * {@code {"version":1,"site":..,"node":..,"state":"online"|"offline","ts":<epoch ms>[,"reason":..]}}.
 */
final class StatusPayloads {

    static final String REASON_CONNECTION_LOST = "connection lost";
    static final String REASON_SHUTDOWN = "shutdown";

    private final ObjectMapper mapper = new ObjectMapper();
    private final String site;
    private final String node;

    StatusPayloads(String site, String node) {
        this.site = site;
        this.node = node;
    }

    byte[] online(long timestamp) {
        return toBytes(base("online", timestamp));
    }

    byte[] offline(long timestamp, String reason) {
        return toBytes(base("offline", timestamp).put("reason", reason));
    }

    private ObjectNode base(String state, long timestamp) {
        return mapper.createObjectNode().put("version", NodeMessage.SCHEMA_VERSION).put("site", site)
                .put("node", node).put("state", state).put("ts", timestamp);
    }

    private byte[] toBytes(ObjectNode status) {
        try {
            return mapper.writeValueAsBytes(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode status " + status, e);
        }
    }
}
