package io.iiotroutes.server;

/** An MQTT message the server publishes to the other replicas: where, and what. */
public record Publication(String topic, byte[] payload) {
}
