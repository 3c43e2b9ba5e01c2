package io.iiotroutes.edge.forward;

/**
 * Counters of a {@link StoreAndForwardPublisher} since it started, and what its journal holds now.
 *
 * @param published          messages delivered live (PUBACK success)
 * @param journaled          messages not delivered live: sent later from the journal (broker unreachable, refusing,
 *                           or a backlog before them)
 * @param replayed           sends from the journal that the broker took (PUBACK success), flagged historical; with
 *                           server acknowledgements, re-sends included
 * @param refused            PUBACKs with a reason code of 0x80 or more (each attempt counts)
 * @param dropped            journaled messages lost to the overflow policy (see {@link OverflowPolicy})
 * @param backlog            entries in the journal now: not sent yet, or (with {@link Confirmation#SERVER}) sent
 *                           and not yet acknowledged by the server; what the journal's limits bound
 * @param backlogBytes       bytes of those entries (what {@link JournalSettings#maxBytes()} limits)
 * @param connected          whether the MQTT connection is up now
 * @param unsent             entries waiting to be sent
 * @param awaitingAck        entries sent and waiting for the server's acknowledgement
 * @param resent             entries sent again because the server had not acknowledged them
 * @param acknowledged       entries the server's acknowledgements let the journal forget
 * @param oldestWaitingMillis how long the oldest entry has waited in the journal; 0 when it is empty
 * @param ackSubscriptionRefused the broker refused the subscription to the node's acknowledgement topic
 */
public record PublisherStats(long published, long journaled, long replayed, long refused, long dropped,
                             long backlog, long backlogBytes, boolean connected, long unsent, long awaitingAck,
                             long resent, long acknowledged, long oldestWaitingMillis,
                             boolean ackSubscriptionRefused) {
}
