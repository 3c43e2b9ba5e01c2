package io.iiotroutes.server;

/**
 * A message the pipeline could not store, kept with the reason so an operator can see what and why.
 *
 * @param receivedAt server time in epoch milliseconds
 * @param topic      topic it arrived on
 * @param site       site from the topic, or "unknown"
 * @param node       node from the topic, or "unknown"
 * @param stage      where it was refused: {@code validation}, {@code limit} (a per-node resource limit),
 *                   {@code tsdb} (the TSDB refused the points) or {@code internal} (a bug, after its retries)
 * @param reason     the rule it broke, in words
 * @param payload    the payload as text (invalid UTF-8 replaced), cut at the configured length
 * @param size       the payload's size in bytes
 */
public record DeadLetter(long receivedAt, String topic, String site, String node, String stage, String reason,
                         String payload, int size) {
}
