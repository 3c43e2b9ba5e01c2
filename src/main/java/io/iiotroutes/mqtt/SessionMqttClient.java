package io.iiotroutes.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's subscriber: a persistent MQTT 5 session with manual acknowledgements that connects only when it
 * is first asked to subscribe, and reconnects by itself.
 * <p>
 * Why connect late: camel-paho-mqtt5 4.17.0's consumer connects its own client before it installs the message
 * callback, so messages the broker held for a persistent session arrive with nobody listening, are dropped
 * unacknowledged and can stall the session. Handed to the consumer as {@code client=#bean}, this client is still
 * unconnected when the consumer sets its callback, and connects inside {@link #subscribe(String, int)}.
 * <p>
 * Why its own reconnect loop: Paho 1.2.5's automatic reconnect gives up after a failed attempt, and an attempt made
 * while a broker restarts can fail; the server then stopped consuming for good. Here every loss of the connection
 * schedules attempts with back-off until one succeeds, then tells the consumer, which subscribes again.
 */
public class SessionMqttClient extends MqttClient {

    private static final Logger LOG = LoggerFactory.getLogger(SessionMqttClient.class);
    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long MAX_RETRY_MILLIS = 10_000;

    private final MqttConnectionOptions options;
    private final ScheduledExecutorService reconnector = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "iiot-mqtt-reconnect");
        thread.setDaemon(true);
        return thread;
    });
    private volatile MqttCallback consumerCallback;
    private volatile boolean shuttingDown;
    private volatile boolean subscribed;

    public SessionMqttClient(String brokerUrl, String clientId, MqttConnectionOptions options) throws MqttException {
        super(brokerUrl, clientId, new MemoryPersistence());
        options.setAutomaticReconnect(false);
        this.options = options;
        // every synchronous call (connect, subscribe) ends: a broker that accepts the TCP connection but never
        // answers (HiveMQ accepts connections for seconds while it stops) must not hold the reconnect loop for good
        setTimeToWait(TimeUnit.SECONDS.toMillis(Math.max(1, options.getConnectionTimeout())) + 5_000);
        // acknowledge a message only when the route has finished with it (stored), never on arrival
        setManualAcks(true);
    }

    @Override
    public IMqttToken subscribe(String topicFilter, int qos) throws MqttException {
        if (!isConnected()) {
            connect(options);
        }
        IMqttToken token = super.subscribe(topicFilter, qos);
        subscribed = true;
        return token;
    }

    /**
     * True once the consumer's subscription is confirmed (SUBACK) on the current connection: only then does a message
     * published from now on reach the server. False before the first subscribe and from a lost connection until the
     * consumer has subscribed again.
     */
    public boolean isSubscribed() {
        return subscribed && isConnected();
    }

    @Override
    public void setCallback(MqttCallback callback) {
        consumerCallback = callback;
        super.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                subscribed = false;
                callback.disconnected(response);
                LOG.warn("MQTT connection of {} lost ({}); reconnecting", getClientId(), response.getReasonString());
                scheduleReconnect(FIRST_RETRY_MILLIS);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                callback.mqttErrorOccurred(exception);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                callback.messageArrived(topic, message);
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
                callback.deliveryComplete(token);
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                callback.connectComplete(reconnect, serverURI);
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
                callback.authPacketArrived(reasonCode, properties);
            }
        });
    }

    /**
     * For a client that only publishes (camel-paho-mqtt5's producer uses a given client as it is, without connecting
     * it): connects in the background now and after every loss of the connection, with the same back-off.
     */
    public void connectInBackground() {
        if (consumerCallback == null) {
            setCallback(new MqttCallback() {
                public void disconnected(MqttDisconnectResponse response) { }
                public void mqttErrorOccurred(MqttException exception) { }
                public void messageArrived(String topic, MqttMessage message) { }
                public void deliveryComplete(IMqttToken token) { }
                public void connectComplete(boolean reconnect, String serverURI) { }
                public void authPacketArrived(int reasonCode, MqttProperties properties) { }
            });
        }
        scheduleReconnect(0);
    }

    private void scheduleReconnect(long delayMillis) {
        if (shuttingDown) {
            return;
        }
        reconnector.schedule(() -> {
            if (shuttingDown || isConnected()) {
                return;
            }
            try {
                subscribed = false;
                connect(options);
                LOG.info("MQTT connection of {} restored", getClientId());
                MqttCallback callback = consumerCallback;
                if (callback != null) {
                    // the consumer subscribes again on a reconnect (the session keeps it too; no harm)
                    callback.connectComplete(true, getServerURI());
                }
            } catch (MqttException | RuntimeException e) {
                LOG.debug("reconnect of {} failed: {}", getClientId(), e.toString());
                if (e instanceof MqttException m && (m.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_TIMEOUT
                        || m.getReasonCode() == MqttClientException.REASON_CODE_CONNECT_IN_PROGRESS)) {
                    abandonAttempt();
                }
                // whatever went wrong, there is always a next attempt
                scheduleReconnect(Math.min(delayMillis * 2, MAX_RETRY_MILLIS));
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Drops a connection attempt that got no answer, so the next attempt does not find one "in progress". */
    private void abandonAttempt() {
        try {
            disconnectForcibly(0, 1_000, false);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("dropping the unanswered attempt of {}: {}", getClientId(), e.toString());
        }
    }

    /** Disconnects (keeping the broker-side session) and releases the client's resources. */
    public void shutdown() throws MqttException {
        shuttingDown = true;
        reconnector.shutdownNow();
        try {
            if (isConnected()) {
                disconnect();
            }
        } catch (MqttException e) {
            abandonAttempt();
        }
        try {
            close(true);
        } catch (MqttException e) {
            // an unanswered connection attempt still "in progress": drop it, then release
            abandonAttempt();
            close(true);
        }
    }
}
