package io.iiotroutes.model;

import java.util.List;

/**
 * A server's acknowledgement to one node (docs/contract.md, acknowledgements): sequence numbers it has stored (or
 * dead-lettered with a reason), as ranges {@code [first, last]} inclusive, lowest first. {@code by} names the
 * server replica that stored them (its MQTT client id; empty when not said), so the other replicas learn what it
 * stored and a replica can tell its own acknowledgements from theirs.
 */
public record Acknowledgement(String site, String node, List<long[]> ranges, long timestamp, String by) {

    public Acknowledgement {
        ranges = List.copyOf(ranges);
        by = by == null ? "" : by;
    }

    public Acknowledgement(String site, String node, List<long[]> ranges, long timestamp) {
        this(site, node, ranges, timestamp, "");
    }

    public String topic() {
        return TopicContract.ackTopic(site, node);
    }
}
