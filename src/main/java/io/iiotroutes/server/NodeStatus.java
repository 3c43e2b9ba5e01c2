package io.iiotroutes.server;

/**
 * A node's status message as the server takes it ({@link IngestDecoder#decodeStatus}): birth ({@code online}) or
 * last will / shutdown ({@code offline}).
 *
 * @param timestamp when the node says it happened, or the server's time of arrival when the node's {@code ts} is
 *                  missing or outside the clock window
 */
public record NodeStatus(String site, String node, String state, long timestamp) {

    public boolean online() {
        return state.equals("online");
    }
}
