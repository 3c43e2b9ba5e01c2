package io.iiotroutes.broker;

import java.util.Locale;

/** What an MQTT account may do on the embedded broker (see {@link TopicRules}). */
public enum BrokerRole {
    /** The IIoT server: subscribes to every node's topics, publishes dead letters. */
    SERVER,
    /** An edge node: publishes only under iiot/v1/&lt;site&gt;/&lt;its username&gt;/#. */
    NODE,
    /** Someone watching the traffic (e.g. with mosquitto_sub): subscribes to iiot/v1/#, publishes nothing. */
    VIEWER;

    public static BrokerRole parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown broker role '" + text + "' (server, node or viewer)", e);
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
