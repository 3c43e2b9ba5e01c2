package io.iiotroutes.server;

/**
 * Per-node resource limits of the server (settings {@code iiot.server.limits.*}, docs/delivery.md "Limits"): what a
 * node can make the server remember, however it misbehaves. Nodes and channels of the node files
 * ({@code iiot.server.nodes}) always fit; these bound the ones only seen in messages, and so the TSDB series a
 * misconfigured or hostile node can create.
 *
 * @param maxUnconfiguredNodes           nodes not in a node file, all sites together
 * @param maxUnconfiguredNodesPerSite    nodes not in a node file, per site
 * @param maxUnconfiguredChannelsPerNode channels of one node not in its node file
 * @param maxUnconfiguredChannels        channels not in a node file, all nodes together
 * @param maxGapRangesPerNode            ranges of missing sequence numbers remembered per node for late arrival
 */
public record IngestLimits(int maxUnconfiguredNodes, int maxUnconfiguredNodesPerSite,
                           int maxUnconfiguredChannelsPerNode, int maxUnconfiguredChannels, int maxGapRangesPerNode) {

    /** The settings' names (under iiot.server.limits.), as a dead letter's reason names them. */
    public static final String NODES = "max-unconfigured-nodes";
    public static final String NODES_PER_SITE = "max-unconfigured-nodes-per-site";
    public static final String CHANNELS_PER_NODE = "max-unconfigured-channels-per-node";
    public static final String CHANNELS = "max-unconfigured-channels";
    public static final String GAP_RANGES_PER_NODE = "max-gap-ranges-per-node";
    public static final String PREFIX = "iiot.server.limits.";

    public IngestLimits {
        if (maxUnconfiguredNodes < 0 || maxUnconfiguredNodesPerSite < 0 || maxUnconfiguredChannelsPerNode < 0
                || maxUnconfiguredChannels < 0 || maxGapRangesPerNode < 1) {
            throw new IllegalArgumentException(PREFIX + "*: limits must be 0 or more (" + GAP_RANGES_PER_NODE
                    + ": 1 or more)");
        }
    }

    /** Limits that never refuse anything: for tests of other concerns. */
    public static IngestLimits unlimited() {
        return new IngestLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 1000);
    }

    /** Each limit by its setting's short name, for the API. */
    public java.util.Map<String, Integer> byName() {
        return java.util.Map.of(NODES, maxUnconfiguredNodes, NODES_PER_SITE, maxUnconfiguredNodesPerSite,
                CHANNELS_PER_NODE, maxUnconfiguredChannelsPerNode, CHANNELS, maxUnconfiguredChannels,
                GAP_RANGES_PER_NODE, maxGapRangesPerNode);
    }
}
