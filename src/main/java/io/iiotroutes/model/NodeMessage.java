package io.iiotroutes.model;

import java.util.List;

/**
 * One message per node per sample cycle: the unit of the topic and payload contract (docs/contract.md).
 *
 * @param version    payload schema version; this code writes and accepts {@link #SCHEMA_VERSION}
 * @param site       site (plant) id, also the third topic level
 * @param node       node id, also the fourth topic level
 * @param seq        per-node sequence number, increasing by one per message
 * @param timestamp  source timestamp in epoch milliseconds, taken when the channels were sampled
 * @param historical true when replayed from the edge's store-and-forward journal rather than sent live
 * @param readings   the channels sampled in this cycle
 */
public record NodeMessage(int version, String site, String node, long seq, long timestamp, boolean historical,
                          List<Reading> readings) {

    public static final int SCHEMA_VERSION = 1;

    public NodeMessage {
        readings = List.copyOf(readings);
    }

    public static NodeMessage live(String site, String node, long seq, long timestamp, List<Reading> readings) {
        return new NodeMessage(SCHEMA_VERSION, site, node, seq, timestamp, false, readings);
    }
}
