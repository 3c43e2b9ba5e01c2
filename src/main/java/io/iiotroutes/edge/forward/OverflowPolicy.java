package io.iiotroutes.edge.forward;

/** What the journal does when a new record would exceed its limits. Either way the loss is counted and logged. */
public enum OverflowPolicy {
    /** Discard the oldest unsent records to make room: the newest data survives a long outage. */
    DROP_OLDEST,
    /** Refuse the new record: the oldest data survives, the newest is lost. */
    REJECT_NEW
}
