package io.iiotroutes.edge.forward;

import io.iiotroutes.model.TopicContract;
import io.iiotroutes.mqtt.MqttTimeouts;
import io.iiotroutes.node.DeliveryConfig;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link StoreAndForwardPublisher} reaches the broker and where it keeps unsent data. The application builds
 * it from its settings (iiot.mqtt.*, iiot.edge.journal.*, the node file's delivery); the defaults named below are
 * those of {@link #of}, for callers outside the application.
 *
 * @param brokerUrl             e.g. {@code tcp://broker:1883}
 * @param clientId              MQTT client id; unique per node
 * @param username              null for none
 * @param password              null for none
 * @param site                  site id of this node (topic level, see {@link TopicContract})
 * @param node                  node id (topic level)
 * @param journalDir            directory of this node's journal; one publisher at a time per directory
 * @param journal               journal limits and durability ({@link JournalSettings#defaults()}: 256 MiB,
 *                              DROP_OLDEST, fsync every append)
 * @param qos                   1 (default) or 2; 0 is refused because without an acknowledgement nothing tells
 *                              a delivered message from a lost one
 * @param connectTimeoutSeconds how long to wait for a CONNACK, and for each PUBACK before the message is
 *                              treated as undelivered and journaled (default {@link MqttTimeouts#CONNECT_TIMEOUT_SECONDS})
 * @param keepAliveSeconds      MQTT keep-alive; a dead connection is noticed after about 1.5 times this (default
 *                              {@link MqttTimeouts#KEEP_ALIVE_SECONDS})
 * @param confirmation          what lets the journal forget an entry: the server's acknowledgement (default) or
 *                              the broker's PUBACK
 * @param resendAfterMillis     with {@link Confirmation#SERVER}: entries still unacknowledged this long after the
 *                              last progress are sent again (doubling up to {@link #MAX_RESEND_AFTER_MILLIS} while
 *                              nothing is acknowledged); default {@link DeliveryConfig#DEFAULT_RESEND_AFTER_S}
 */
public record PublisherSettings(String brokerUrl, String clientId, String username, char[] password, String site,
                                String node, Path journalDir, JournalSettings journal, int qos,
                                int connectTimeoutSeconds, int keepAliveSeconds, Confirmation confirmation,
                                long resendAfterMillis) {

    public static final int DEFAULT_QOS = 1;
    /** A node file's default ({@link DeliveryConfig#DEFAULT_RESEND_AFTER_S}), in milliseconds. */
    public static final long DEFAULT_RESEND_AFTER_MILLIS = DeliveryConfig.DEFAULT_RESEND_AFTER_S * 1000L;
    public static final long MAX_RESEND_AFTER_MILLIS = 300_000;

    public PublisherSettings {
        Objects.requireNonNull(brokerUrl, "brokerUrl");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(journalDir, "journalDir");
        Objects.requireNonNull(journal, "journal");
        if (!TopicContract.isValidId(site) || !TopicContract.isValidId(node)) {
            throw new IllegalArgumentException("site and node must match " + TopicContract.ID_PATTERN + ": "
                    + site + "/" + node);
        }
        if (qos != 1 && qos != 2) {
            throw new IllegalArgumentException("qos must be 1 or 2 (store-and-forward needs acknowledgements): " + qos);
        }
        if (connectTimeoutSeconds <= 0 || keepAliveSeconds <= 0) {
            throw new IllegalArgumentException("connectTimeoutSeconds and keepAliveSeconds must be positive");
        }
        Objects.requireNonNull(confirmation, "confirmation");
        if (resendAfterMillis <= 0) {
            throw new IllegalArgumentException("resendAfterMillis must be positive: " + resendAfterMillis);
        }
        password = password == null ? null : password.clone();
    }

    /**
     * For callers outside the application (tests, tools): no credentials, default journal, QoS 1, the process's MQTT
     * timeouts ({@link MqttTimeouts}), entries kept until the server acknowledges them (re-sent after 30 s).
     */
    public static PublisherSettings of(String brokerUrl, String clientId, String site, String node, Path journalDir) {
        return new PublisherSettings(brokerUrl, clientId, null, null, site, node, journalDir,
                JournalSettings.defaults(), DEFAULT_QOS, MqttTimeouts.CONNECT_TIMEOUT_SECONDS,
                MqttTimeouts.KEEP_ALIVE_SECONDS, Confirmation.SERVER, DEFAULT_RESEND_AFTER_MILLIS);
    }

    public PublisherSettings withCredentials(String user, char[] secret) {
        return new PublisherSettings(brokerUrl, clientId, user, secret, site, node, journalDir, journal, qos,
                connectTimeoutSeconds, keepAliveSeconds, confirmation, resendAfterMillis);
    }

    public PublisherSettings withJournal(JournalSettings settings) {
        return new PublisherSettings(brokerUrl, clientId, username, password, site, node, journalDir, settings, qos,
                connectTimeoutSeconds, keepAliveSeconds, confirmation, resendAfterMillis);
    }

    public PublisherSettings withTimeouts(int connectTimeout, int keepAlive) {
        return new PublisherSettings(brokerUrl, clientId, username, password, site, node, journalDir, journal, qos,
                connectTimeout, keepAlive, confirmation, resendAfterMillis);
    }

    /** What confirms an entry, and (with {@link Confirmation#SERVER}) when an unacknowledged one is sent again. */
    public PublisherSettings withConfirmation(Confirmation by, long resendAfter) {
        return new PublisherSettings(brokerUrl, clientId, username, password, site, node, journalDir, journal, qos,
                connectTimeoutSeconds, keepAliveSeconds, by, resendAfter);
    }

    @Override
    public char[] password() {
        return password == null ? null : password.clone();
    }

    @Override
    public String toString() {
        return "PublisherSettings[brokerUrl=" + brokerUrl + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", site=" + site + ", node=" + node
                + ", journalDir=" + journalDir + ", journal=" + journal + ", qos=" + qos + ", connectTimeoutSeconds="
                + connectTimeoutSeconds + ", keepAliveSeconds=" + keepAliveSeconds + ", confirmation=" + confirmation
                + ", resendAfterMillis=" + resendAfterMillis + "]";
    }
}
