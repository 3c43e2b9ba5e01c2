package io.iiotroutes.edge.forward;

import io.iiotroutes.ops.RateLimitedWarning;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.SocketFactory;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The MQTT 5 connection of one publisher: connects and reconnects in the background, registers the offline will,
 * publishes the retained birth on every connect, and sends one message at a time, reading the PUBACK reason code.
 * With an acknowledgement topic it subscribes to it on every connect (clean start keeps no subscription) and hands
 * what arrives to its consumer; "connected" is then reported once the subscription is confirmed, so nothing is
 * re-sent before its acknowledgement can arrive.
 * <p>
 * Reconnection is done here rather than by Paho's automatic reconnect: Paho's only starts after a first successful
 * connect (a node booting while the broker is down would never connect), keeps its back-off in a static field shared
 * by every client in the JVM, and leaves a non-daemon timer thread running when the client is closed while
 * reconnecting. Here a daemon scheduler retries every 0.5 s, doubling up to 10 s. Paho never gives up waiting for
 * a CONNACK (eclipse-paho/paho.mqtt.java#511, #1028): a broker that accepts the TCP connection and does not answer
 * (one that is stopping or starting) would hold the attempt, and with it every later one, for good; an attempt
 * unanswered after the connect timeout + 5 s is therefore dropped and the next one scheduled.
 */
final class BrokerConnection implements AutoCloseable {

    enum Outcome { DELIVERED, REFUSED, FAILED }

    static final long RECONNECT_MIN_MILLIS = 500;
    static final long RECONNECT_MAX_MILLIS = 10_000;
    private static final long WARNING_INTERVAL_MILLIS = 60_000;
    private static final long DISCONNECT_QUIESCE_MILLIS = 1_000;
    private static final long UNANSWERED_ATTEMPT_GRACE_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);

    private final PublisherSettings settings;
    private final String statusTopic;
    private final StatusPayloads status;
    private final Runnable onConnected;
    /** Null for a publisher the broker's PUBACK confirms. */
    private final AckSubscription acks;
    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean attemptPending = new AtomicBoolean();
    private final RateLimitedWarning unreachableWarning = new RateLimitedWarning(LOG, WARNING_INTERVAL_MILLIS);
    private final RateLimitedWarning refusalWarning = new RateLimitedWarning(LOG, WARNING_INTERVAL_MILLIS);
    private final RateLimitedWarning failureWarning = new RateLimitedWarning(LOG, WARNING_INTERVAL_MILLIS);
    private final AtomicLong failedSends = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final long ackTimeoutMillis;
    private volatile long reconnectDelayMillis = RECONNECT_MIN_MILLIS;
    private volatile CompletableFuture<Void> currentAttempt = CompletableFuture.completedFuture(null);
    private volatile CompletableFuture<IMqttToken> inFlight;
    private volatile boolean closing;
    private long refusals; // only touched by the single sender

    BrokerConnection(PublisherSettings settings, SocketFactory socketFactory, String statusTopic,
                     StatusPayloads status, Runnable onConnected) throws MqttException {
        this(settings, socketFactory, statusTopic, status, onConnected, null, payload -> { });
    }

    /** @param ackTopic where the server acknowledges this node's messages, or null to subscribe to nothing */
    BrokerConnection(PublisherSettings settings, SocketFactory socketFactory, String statusTopic,
                     StatusPayloads status, Runnable onConnected, String ackTopic, Consumer<byte[]> onAck)
            throws MqttException {
        this.settings = settings;
        this.statusTopic = statusTopic;
        this.status = status;
        this.onConnected = onConnected;
        this.acks = ackTopic == null ? null : new AckSubscription(ackTopic, onAck);
        this.ackTimeoutMillis = TimeUnit.SECONDS.toMillis(settings.connectTimeoutSeconds());
        // unsent messages are kept by the journal; Paho's own persistence would only duplicate them
        this.client = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
        this.client.setCallback(new Callbacks());
        this.options = PublisherConnectionOptions.of(settings, socketFactory);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "forward-connect-" + settings.clientId());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Makes the first connection attempt and waits (bounded) for its outcome; later attempts run in background. */
    void start() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        currentAttempt = first;
        attemptPending.set(true);
        scheduler.execute(() -> connectNow(first));
        try {
            first.get(ackTimeoutMillis + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("first connection attempt still pending", e);
        }
    }

    /** Up, and (with an acknowledgement topic) subscribed, so an acknowledgement of what is sent now can arrive. */
    boolean isConnected() {
        return client.isConnected() && (acks == null || acks.ready());
    }

    /** The broker refused the subscription to the acknowledgement topic (an ACL without it): nothing can confirm. */
    boolean ackSubscriptionRefused() {
        return acks != null && acks.refused();
    }

    /** Publishes and waits for the broker's acknowledgement. Never throws for broker trouble. One caller at a time. */
    Outcome send(String topic, byte[] payload) {
        CompletableFuture<IMqttToken> acked = new CompletableFuture<>();
        inFlight = acked;
        try {
            if (!client.isConnected()) {
                return Outcome.FAILED;
            }
            MqttMessage message = new MqttMessage(payload);
            message.setQos(settings.qos());
            client.publish(topic, message, null, new AckListener(acked));
            int code = reasonCode(acked.get(ackTimeoutMillis, TimeUnit.MILLISECONDS));
            if (code >= 0x80) {
                refusals++;
                refusalWarning.warn("Broker refused a publish on " + topic + " with reason code 0x"
                        + Integer.toHexString(code) + " (" + ReasonCodes.describe(code) + "); kept in the journal",
                        refusals);
                return Outcome.REFUSED;
            }
            return Outcome.DELIVERED;
        } catch (TimeoutException e) {
            LOG.warn("No acknowledgement for a publish on {} within {} ms; kept for replay (it may arrive twice)",
                    topic, ackTimeoutMillis);
            return Outcome.FAILED;
        } catch (MqttException | ExecutionException e) {
            if (client.isConnected()) {
                // not a lost connection (e.g. a packet larger than the broker allows): it will be retried from
                // the journal, so make it visible
                failureWarning.warn("Publish on " + topic + " failed while connected (" + e.getMessage()
                        + "); kept in the journal", failedSends.incrementAndGet());
            } else {
                LOG.debug("publish on {} failed: {}", topic, e.getMessage());
            }
            return Outcome.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.FAILED;
        } finally {
            inFlight = null;
        }
    }

    /** Stops reconnecting; if connected, publishes the retained shutdown status and disconnects cleanly. */
    @Override
    public void close() {
        closing = true;
        scheduler.shutdownNow();
        // an attempt under way must finish before the client can be closed (Paho refuses while connecting)
        try {
            currentAttempt.get(ackTimeoutMillis + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("connection attempt still pending at close", e);
        }
        if (client.isConnected()) {
            try {
                client.publish(statusTopic, status.offline(System.currentTimeMillis(), StatusPayloads.REASON_SHUTDOWN),
                        1, true).waitForCompletion(ackTimeoutMillis);
            } catch (MqttException e) {
                LOG.warn("Could not publish the shutdown status: {}", e.getMessage());
            }
            try {
                client.disconnect(DISCONNECT_QUIESCE_MILLIS).waitForCompletion(ackTimeoutMillis);
            } catch (MqttException e) {
                LOG.debug("clean disconnect failed; forcing", e);
                forceDisconnect();
            }
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("closing the MQTT client", e);
        }
    }

    private void connectNow(CompletableFuture<Void> attempt) {
        currentAttempt = attempt;
        if (closing || client.isConnected()) {
            attemptPending.set(false);
            attempt.complete(null);
            return;
        }
        // a will's payload is fixed at CONNECT: its ts is when this connection was opened
        MqttMessage will = new MqttMessage(status.offline(System.currentTimeMillis(),
                StatusPayloads.REASON_CONNECTION_LOST));
        will.setQos(1);
        will.setRetained(true);
        options.setWill(statusTopic, will);
        try {
            scheduler.schedule(() -> dropIfUnanswered(attempt), ackTimeoutMillis + UNANSWERED_ATTEMPT_GRACE_MILLIS,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            attemptPending.set(false);
            attempt.complete(null);
            return;   // closing
        }
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    reconnectDelayMillis = RECONNECT_MIN_MILLIS;
                    attemptPending.set(false);
                    attempt.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable exception) {
                    attemptFailed(attempt, exception);
                }
            });
        } catch (MqttException | RuntimeException e) {
            attemptFailed(attempt, e);
        }
    }

    /** The attempt got neither CONNACK nor failure in time: Paho would wait for good, so it is dropped here. */
    private void dropIfUnanswered(CompletableFuture<Void> attempt) {
        if (attempt.isDone() || closing || client.isConnected()) {
            return;
        }
        forceDisconnect();
        attemptFailed(attempt, new TimeoutException("no CONNACK within " + (ackTimeoutMillis
                + UNANSWERED_ATTEMPT_GRACE_MILLIS) + " ms"));
    }

    private void attemptFailed(CompletableFuture<Void> attempt, Throwable cause) {
        if (!attempt.complete(null)) {
            return;   // settled already (the watchdog and Paho's own failure both report a dropped attempt)
        }
        unreachableWarning.warn("MQTT broker " + settings.brokerUrl() + " unreachable (" + cause.getMessage()
                + "); journaling and retrying", failedAttempts.incrementAndGet());
        attemptPending.set(false);
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closing || !attemptPending.compareAndSet(false, true)) {
            return;
        }
        long delay = reconnectDelayMillis;
        reconnectDelayMillis = Math.min(delay * 2, RECONNECT_MAX_MILLIS);
        try {
            scheduler.schedule(() -> connectNow(new CompletableFuture<>()), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            attemptPending.set(false);
        }
    }

    private void publishBirth() {
        try {
            client.publish(statusTopic, status.online(System.currentTimeMillis()), 1, true, null,
                    new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            LOG.debug("birth published on {}", statusTopic);
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable exception) {
                            LOG.warn("Could not publish the online status: {}", exception.getMessage());
                        }
                    });
        } catch (MqttException e) {
            LOG.warn("Could not publish the online status: {}", e.getMessage());
        }
    }

    private void forceDisconnect() {
        try {
            client.disconnectForcibly(0, DISCONNECT_QUIESCE_MILLIS, false);
        } catch (MqttException e) {
            LOG.debug("forced disconnect failed", e);
        }
    }

    /** The PUBACK (or PUBREC) reason code; 0 when the token carries none (success). */
    static int reasonCode(IMqttToken token) {
        int[] codes = token.getReasonCodes();
        if ((codes == null || codes.length == 0) && token.getResponse() != null) {
            codes = token.getResponse().getReasonCodes();
        }
        return codes == null ? 0 : Arrays.stream(codes).max().orElse(0);
    }

    /** Completes with the token when the broker answered, refusal included; fails when nothing came back. */
    private static final class AckListener implements MqttActionListener {

        private final CompletableFuture<IMqttToken> acked;

        AckListener(CompletableFuture<IMqttToken> acked) {
            this.acked = acked;
        }

        @Override
        public void onSuccess(IMqttToken token) {
            acked.complete(token);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            if (token != null && reasonCode(token) >= 0x80) {
                acked.complete(token);
            } else {
                acked.completeExceptionally(exception);
            }
        }
    }

    private final class Callbacks implements MqttCallback {

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            LOG.info("Connected to {} as {}", serverUri, settings.clientId());
            publishBirth();
            if (acks == null) {
                onConnected.run();
            } else {
                acks.subscribe(client, onConnected);
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (acks != null) {
                acks.lost();
            }
            LOG.warn("Connection to {} lost: {}", settings.brokerUrl(), response);
            CompletableFuture<IMqttToken> pending = inFlight;
            if (pending != null) {
                pending.completeExceptionally(new IllegalStateException("connection lost"));
            }
            scheduleReconnect();
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT error: {}", exception.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (acks != null) {
                acks.deliver(topic, message);
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // outcomes are read from each publish's own token
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
