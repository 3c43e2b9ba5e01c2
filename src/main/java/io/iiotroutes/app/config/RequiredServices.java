package io.iiotroutes.app.config;

import io.iiotroutes.tsdb.TsdbPing;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The server's start-up check of the external broker and TSDB it is pointed at: waits a bounded time for each (so a
 * stack started all at once comes up in any order), then refuses to start with one clear line instead of running
 * routes that can never work. Credentials the broker refuses fail at once: waiting would not fix them.
 * Once started, outages are handled by the routes (retry, persistent session): nothing here runs again.
 */
final class RequiredServices {

    private static final Logger LOG = LoggerFactory.getLogger(RequiredServices.class);
    /** CONNACK reason codes that no retry will change: bad username or password, not authorized, client id refused. */
    private static final Set<Integer> REFUSED_FOR_GOOD = Set.of(0x85, 0x86, 0x87, 0x8C);

    private RequiredServices() {
    }

    static void awaitBroker(String url, String clientId, MqttConnectionOptions serverOptions, Duration wait) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setConnectionTimeout(5);
        options.setSocketFactory(serverOptions.getSocketFactory());
        options.setUserName(serverOptions.getUserName());
        options.setPassword(serverOptions.getPassword());
        String[] lastError = {"no answer"};
        boolean reached = retryUntil(wait, () -> {
            MqttClient probe = null;
            try {
                probe = new MqttClient(url, clientId + "-startup-probe", new MemoryPersistence());
                probe.connect(options);
                probe.disconnect();
                return true;
            } catch (MqttException e) {
                if (REFUSED_FOR_GOOD.contains(e.getReasonCode())) {
                    throw new IllegalStateException("the MQTT broker at " + url + " refused the server's connection: "
                            + e.getMessage() + " (reason code 0x" + Integer.toHexString(e.getReasonCode())
                            + "; check iiot.mqtt.username / IIOT_MQTT_PASSWORD)");
                }
                lastError[0] = e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "");
                return false;
            } finally {
                closeQuietly(probe);
            }
        });
        if (!reached) {
            throw new IllegalStateException("the MQTT broker at " + url + " cannot be reached (waited "
                    + wait.toSeconds() + " s): " + lastError[0]);
        }
    }

    private static void closeQuietly(MqttClient client) {
        if (client != null) {
            try {
                client.close(true);
            } catch (MqttException ignored) {
                // a probe that never connected has nothing to release
            }
        }
    }

    static void awaitTsdb(String url, Object client, Duration wait) {
        // each ping bounded: a TSDB that accepts the connection and never answers must not hang the start-up
        Duration pingTimeout = Duration.ofSeconds(Math.max(1, Math.min(5, wait.toSeconds())));
        if (!retryUntil(wait, () -> TsdbPing.ping(client, pingTimeout))) {
            throw new IllegalStateException("the TSDB at " + url + " does not answer (waited " + wait.toSeconds() + " s)");
        }
    }

    /** Polls once a second until the check holds or the time is up. */
    static boolean retryUntil(Duration wait, BooleanSupplier check) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean warned = false;
        while (true) {
            if (check.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            if (!warned) {
                LOG.info("Waiting up to {} s for a required service ...", wait.toSeconds());
                warned = true;
            }
            try {
                TimeUnit.SECONDS.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
