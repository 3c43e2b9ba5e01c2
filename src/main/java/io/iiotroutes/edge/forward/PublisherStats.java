package io.iiotroutes.edge.forward;

/**
 * Counters of a {@link StoreAndForwardPublisher} since it started.
 *
 * @param published    messages delivered live (PUBACK success)
 * @param journaled    messages written to the journal (broker unreachable, refusing, or backlog not yet sent)
 * @param replayed     journaled messages delivered later, flagged historical
 * @param refused      PUBACKs with a reason code of 0x80 or more (each attempt counts); the message was journaled
 * @param dropped      journaled messages lost to the overflow policy (see {@link OverflowPolicy})
 * @param backlog      messages waiting in the journal now
 * @param backlogBytes bytes waiting in the journal now (what {@link JournalSettings#maxBytes()} limits)
 * @param connected    whether the MQTT connection is up now
 */
public record PublisherStats(long published, long journaled, long replayed, long refused, long dropped,
                             long backlog, long backlogBytes, boolean connected) {
}
