package io.iiotroutes.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.TopicContract;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's acknowledgements to the nodes (docs/contract.md, acknowledgements): which sequence numbers of each
 * node this server has stored, i.e. whose TSDB write was committed, collected as ranges and handed out in batches
 * ({@link #drain}) to be published on {@code iiot/v1/{site}/{node}/ack}. Every replica acknowledges what it stored,
 * so several replicas on a shared subscription acknowledge every message between them.
 * <p>
 * Bounded: a node's ranges between two drains are at most the messages it had stored in that time, and the nodes
 * are bounded by the per-node limits (a message is admitted before it is stored).
 */
public class AckTracker {

    /** One node's acknowledgement: contiguous ranges of stored sequence numbers, first to last inclusive. */
    public record Ack(String site, String node, List<long[]> ranges, long timestamp) {

        public String topic() {
            return TopicContract.ackTopic(site, node);
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final Map<String, TreeMap<Long, Long>> pending = new LinkedHashMap<>();

    public AckTracker() {
        this(Clock.systemUTC());
    }

    AckTracker(Clock clock) {
        this.clock = clock;
    }

    /** The message's points are committed to the TSDB: its sequence number is acknowledged with the next batch. */
    public synchronized void stored(NodeMessage message) {
        TreeMap<Long, Long> ranges = pending.computeIfAbsent(message.site() + "/" + message.node(), k -> new TreeMap<>());
        long seq = message.seq();
        Map.Entry<Long, Long> before = ranges.floorEntry(seq);
        if (before != null && before.getValue() >= seq) {
            return;   // already in a range
        }
        long first = seq;
        long last = seq;
        if (before != null && before.getValue() == seq - 1) {
            first = before.getKey();
        }
        Long next = seq == Long.MAX_VALUE ? null : ranges.get(seq + 1);
        if (next != null) {
            last = next;
            ranges.remove(seq + 1);
        }
        ranges.put(first, last);
    }

    /** Everything acknowledged since the last call, one entry per node, and forgets it. */
    public synchronized List<Ack> drain() {
        if (pending.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        List<Ack> acks = new ArrayList<>(pending.size());
        pending.forEach((key, ranges) -> {
            String[] siteNode = key.split("/", 2);
            List<long[]> list = new ArrayList<>(ranges.size());
            ranges.forEach((first, last) -> list.add(new long[]{first, last}));
            acks.add(new Ack(siteNode[0], siteNode[1], list, now));
        });
        pending.clear();
        return acks;
    }

    /** The acknowledgement payload: {@code {"version":1,"site":..,"node":..,"ranges":[[first,last],...],"ts":..}}. */
    public String toJson(Ack ack) {
        ObjectNode root = json.createObjectNode();
        root.put("version", NodeMessage.SCHEMA_VERSION);
        root.put("site", ack.site());
        root.put("node", ack.node());
        ArrayNode ranges = root.putArray("ranges");
        for (long[] range : ack.ranges()) {
            ranges.addArray().add(range[0]).add(range[1]);
        }
        root.put("ts", ack.timestamp());
        return root.toString();
    }
}
