package io.iiotroutes.app.config;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequiredServicesTest {

    @Test
    void waitsUntilTheServiceAnswers() {
        AtomicInteger calls = new AtomicInteger();
        assertTrue(RequiredServices.retryUntil(Duration.ofSeconds(10), () -> calls.incrementAndGet() >= 2));
    }

    @Test
    void givesUpWhenTheTimeIsUp() {
        assertFalse(RequiredServices.retryUntil(Duration.ZERO, () -> false));
    }

    @Test
    void anUnreachableBrokerStopsTheStartWithOneClearLine() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "tcp://127.0.0.1:" + closedPort;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RequiredServices.awaitBroker(url, "probe-test", new MqttConnectionOptions(), Duration.ZERO));
        assertTrue(e.getMessage().startsWith("the MQTT broker at " + url + " cannot be reached"), e.getMessage());
    }
}
