package io.iiotroutes.broker;

/**
 * What the embedded broker is configured with.
 *
 * @param bindAddress          address the MQTT listener binds to
 * @param port                 MQTT TCP port (HiveMQ needs a fixed port: it cannot report one it picked)
 * @param persistent           true keeps sessions and queued messages on disk across broker restarts
 * @param maxQueuedMessages    messages queued per offline persistent session before the oldest are discarded
 * @param serverReceiveMaximum QoS 1/2 publishes a client may have in flight; HiveMQ's default of 10 makes the
 *                             Paho client throw "Too many publishes in progress" under load
 * @param maxPacketSize        the largest MQTT packet, in bytes, the broker takes (HiveMQ's
 *                             {@code mqtt.packets.max-packet-size}): a client that sends a larger one is disconnected
 *                             (reason code 0x95, packet too large) before it is read into memory
 * @param tls                  a TLS listener, or null for none
 */
public record BrokerSettings(String bindAddress, int port, boolean persistent, long maxQueuedMessages,
                             int serverReceiveMaximum, int maxPacketSize, TlsListener tls) {

    /** HiveMQ's default and largest maximum packet size (the MQTT protocol's 256 MB). */
    public static final int MQTT_MAX_PACKET_SIZE = 268_435_460;

    public BrokerSettings {
        if (maxPacketSize < 1 || maxPacketSize > MQTT_MAX_PACKET_SIZE) {
            throw new IllegalArgumentException("maxPacketSize must be 1.." + MQTT_MAX_PACKET_SIZE + ", not " + maxPacketSize);
        }
    }

    /**
     * The TLS listener: its port, the keystore (PKCS12 or JKS) with the broker's key and certificate, the
     * keystore's password (also used for the key), and whether the plain TCP listener is left out.
     */
    public record TlsListener(int port, java.nio.file.Path keystore, char[] keystorePassword, boolean required) {

        public TlsListener {
            java.util.Objects.requireNonNull(keystore, "keystore");
            java.util.Objects.requireNonNull(keystorePassword, "keystorePassword");
            keystorePassword = keystorePassword.clone();
        }

        @Override
        public String toString() {
            return "TlsListener[port=" + port + ", keystore=" + keystore + ", required=" + required + "]";
        }
    }

    public BrokerSettings(String bindAddress, int port, boolean persistent, long maxQueuedMessages,
                          int serverReceiveMaximum) {
        this(bindAddress, port, persistent, maxQueuedMessages, serverReceiveMaximum, MQTT_MAX_PACKET_SIZE, null);
    }

    public static BrokerSettings defaults(String bindAddress, int port) {
        return new BrokerSettings(bindAddress, port, true, 100_000, 65_535);
    }

    public BrokerSettings withTls(TlsListener listener) {
        return new BrokerSettings(bindAddress, port, persistent, maxQueuedMessages, serverReceiveMaximum, maxPacketSize,
                listener);
    }

    /** The same with another maximum packet size ({@link io.iiotroutes.mqtt.PacketSize}). */
    public BrokerSettings withMaxPacketSize(int bytes) {
        return new BrokerSettings(bindAddress, port, persistent, maxQueuedMessages, serverReceiveMaximum, bytes, tls);
    }

    /** Only the TLS listener: plain TCP connections are refused. */
    public boolean tlsRequired() {
        return tls != null && tls.required();
    }

    private String listenersXml() {
        StringBuilder xml = new StringBuilder();
        if (!tlsRequired()) {
            xml.append("""
                            <tcp-listener>
                                <port>%d</port>
                                <bind-address>%s</bind-address>
                            </tcp-listener>
                    """.formatted(port, xmlText(bindAddress)));
        }
        if (tls != null) {
            String password = xmlText(new String(tls.keystorePassword()));
            xml.append("""
                            <tls-tcp-listener>
                                <port>%d</port>
                                <bind-address>%s</bind-address>
                                <tls>
                                    <keystore>
                                        <path>%s</path>
                                        <password>%s</password>
                                        <private-key-password>%s</private-key-password>
                                    </keystore>
                                    <client-authentication-mode>NONE</client-authentication-mode>
                                </tls>
                            </tls-tcp-listener>
                    """.formatted(tls.port(), xmlText(bindAddress), xmlText(tls.keystore().toAbsolutePath().toString()),
                    password, password));
        }
        return xml.toString();
    }

    private static String xmlText(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    String toConfigXml() {
        return """
                <?xml version="1.0"?>
                <!-- Written by IIoT Routes at every start from iiot.broker.* properties; edits here are overwritten. -->
                <hivemq>
                    <listeners>
                %s    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>%d</max-queue-size>
                            <strategy>discard-oldest</strategy>
                        </queued-messages>
                        <receive-maximum>
                            <server-receive-maximum>%d</server-receive-maximum>
                        </receive-maximum>
                        <packets>
                            <max-packet-size>%d</max-packet-size>
                        </packets>
                    </mqtt>
                    <persistence>
                        <mode>%s</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(listenersXml(), maxQueuedMessages, serverReceiveMaximum, maxPacketSize,
                persistent ? "file" : "in-memory");
    }
}
