package io.iiotroutes.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.ops.RateLimitedWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What each server replica knows of each node's stream, exchanged through the broker so that every replica's
 * completeness converges: the acknowledgements tell the others what a replica stored as it happens, but one that
 * joined late or whose connection was cut has missed some. So every completeness period each replica publishes, per
 * node, on {@code iiot/v1/_completeness/{site}/{node}}: {@code {"by":..,"first":..,"last":..,"missing":[[a,b],..]}}
 * (every number from first to last is stored except those missing), and merges the others'
 * ({@link SequenceTracker#merge}): a gap one replica knows filled is filled on all; one that no replica can fill
 * stays, on all.
 */
public class CompletenessViews {

    private static final Logger LOG = LoggerFactory.getLogger(CompletenessViews.class);
    /** A view holds at most the tracked gap ranges of a node (iiot.server.limits.max-gap-ranges-per-node). */
    static final int MAX_RANGES = 10_000;
    static final int MAX_PAYLOAD_BYTES = 512 * 1024;

    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final NodeMonitor nodes;
    private final String self;
    private final RateLimitedWarning unreadable = new RateLimitedWarning(LOG, 60_000);
    private final LongAdder refused = new LongAdder();
    private final LongAdder merged = new LongAdder();

    /** @param self this replica's name in its views (its MQTT client id) */
    public CompletenessViews(NodeMonitor nodes, String self) {
        this.nodes = nodes;
        this.self = self;
    }

    /** This replica's view of every node it knows, to publish. */
    public List<Publication> publications() {
        List<Publication> publications = new ArrayList<>();
        nodes.views().forEach((key, view) -> {
            String[] siteNode = key.split("/", 2);
            ObjectNode root = json.createObjectNode();
            root.put("by", self);
            root.put("first", view.first());
            root.put("last", view.last());
            ArrayNode missing = root.putArray("missing");
            view.missing().forEach(range -> missing.addArray().add(range[0]).add(range[1]));
            try {
                publications.add(new Publication(TopicContract.completenessTopic(siteNode[0], siteNode[1]),
                        json.writeValueAsBytes(root)));
            } catch (IOException e) {
                LOG.warn("Completeness of {} not encoded: {}", key, e.getMessage());
            }
        });
        return publications;
    }

    /** Another replica's view of a node; returns whether it was merged here. Never throws. */
    public boolean received(String topic, byte[] payload) {
        TopicContract.NodeAddress address = TopicContract.parseCompleteness(topic).orElse(null);
        JsonNode root = address == null ? null : parse(payload);
        if (root != null && self.equals(root.path("by").asText())) {
            return false;
        }
        SequenceTracker.View view = root == null ? null : view(root);
        if (view == null) {
            refused.increment();
            unreadable.warn("A completeness view on " + topic + " is not readable; ignored", refused.sum());
            return false;
        }
        boolean known = nodes.merge(address.site(), address.node(), view);
        if (known) {
            merged.increment();
        }
        return known;
    }

    private JsonNode parse(byte[] payload) {
        if (payload == null || payload.length == 0 || payload.length > MAX_PAYLOAD_BYTES) {
            return null;
        }
        try {
            JsonNode root = json.readTree(payload);
            return root != null && root.isObject() ? root : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The view in the payload, if it is one: first ≤ last, missing ranges ascending, disjoint and within. */
    private static SequenceTracker.View view(JsonNode root) {
        JsonNode first = root.get("first");
        JsonNode last = root.get("last");
        JsonNode missing = root.get("missing");
        if (first == null || last == null || !first.canConvertToLong() || !last.canConvertToLong()
                || !first.isIntegralNumber() || !last.isIntegralNumber() || missing == null || !missing.isArray()
                || missing.size() > MAX_RANGES || first.asLong() < 0 || first.asLong() > last.asLong()) {
            return null;
        }
        List<long[]> ranges = new ArrayList<>(missing.size());
        long previous = first.asLong() - 1;
        for (JsonNode range : missing) {
            if (!range.isArray() || range.size() != 2 || !range.get(0).isIntegralNumber() || !range.get(1).isIntegralNumber()
                    || !range.get(0).canConvertToLong() || !range.get(1).canConvertToLong()) {
                return null;
            }
            long a = range.get(0).asLong();
            long b = range.get(1).asLong();
            if (a <= previous || b < a || b > last.asLong()) {
                return null;
            }
            ranges.add(new long[]{a, b});
            previous = b;
        }
        return new SequenceTracker.View(first.asLong(), last.asLong(), ranges);
    }

    public long merged() {
        return merged.sum();
    }

    public long refused() {
        return refused.sum();
    }
}
