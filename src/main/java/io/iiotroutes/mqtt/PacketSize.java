package io.iiotroutes.mqtt;

/**
 * The largest MQTT packet the server takes: its payload limit ({@code iiot.server.max-payload-bytes}) plus room for
 * the packet's headers. Set on the embedded broker (a publisher that sends more is disconnected, reason code 0x95)
 * and on the server's subscribing clients (MQTT 5 maximum packet size: a broker does not send them more), so a
 * message is refused before it is read into memory, not after.
 */
public final class PacketSize {

    /**
     * Room for the fixed and variable header: the longest topic MQTT allows (65,535 bytes and its length), the packet
     * id and a few properties. A payload at the limit fits whatever its topic; one above the limit but within this
     * room still reaches the server, which dead-letters it with its size.
     */
    public static final int HEADER_ROOM = 64 * 1024;

    private PacketSize() {
    }

    /** The maximum packet size for a payload limit. */
    public static int forPayload(int maxPayloadBytes) {
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("a payload limit of " + maxPayloadBytes + " bytes");
        }
        return (int) Math.min((long) maxPayloadBytes + HEADER_ROOM, 268_435_460L);
    }
}
