package io.iiotroutes.model;

import java.util.List;

/**
 * A server's acknowledgement to one node (docs/contract.md, acknowledgements): sequence numbers it has stored (or
 * dead-lettered with a reason), as ranges {@code [first, last]} inclusive, lowest first.
 */
public record Acknowledgement(String site, String node, List<long[]> ranges, long timestamp) {

    public Acknowledgement {
        ranges = List.copyOf(ranges);
    }

    public String topic() {
        return TopicContract.ackTopic(site, node);
    }
}
