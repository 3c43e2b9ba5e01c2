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
 */
public record BrokerSettings(String bindAddress, int port, boolean persistent, long maxQueuedMessages,
                             int serverReceiveMaximum) {

    public static BrokerSettings defaults(String bindAddress, int port) {
        return new BrokerSettings(bindAddress, port, true, 100_000, 65_535);
    }

    String toConfigXml() {
        return """
                <?xml version="1.0"?>
                <!-- Written by IIoT Routes at every start from iiot.broker.* properties; edits here are overwritten. -->
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>%d</max-queue-size>
                            <strategy>discard-oldest</strategy>
                        </queued-messages>
                        <receive-maximum>
                            <server-receive-maximum>%d</server-receive-maximum>
                        </receive-maximum>
                    </mqtt>
                    <persistence>
                        <mode>%s</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, bindAddress, maxQueuedMessages, serverReceiveMaximum,
                persistent ? "file" : "in-memory");
    }
}
