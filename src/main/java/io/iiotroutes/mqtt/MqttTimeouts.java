package io.iiotroutes.mqtt;

/**
 * The timings every MQTT client of the process connects with (the server's sessions, its publisher, the edge
 * publishers). Not settings: written once here.
 */
public final class MqttTimeouts {

    /** MQTT keep-alive: a dead connection is noticed after about 1.5 times this. */
    public static final int KEEP_ALIVE_SECONDS = 30;
    /** How long a connection attempt (and an edge publisher's wait for each PUBACK) may take. */
    public static final int CONNECT_TIMEOUT_SECONDS = 10;

    private MqttTimeouts() {
    }
}
