package io.iiotroutes.edge.forward;

/** What lets a publisher forget a journal entry (docs/delivery-edge.md). */
public enum Confirmation {
    /** The server's acknowledgement that the TSDB holds it (or dead-lettered it with a reason): the default. */
    SERVER,
    /** The broker's PUBACK: for brokers and consumers that do not acknowledge (third-party servers). */
    BROKER
}
