package io.iiotroutes.mqtt;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class SessionMqttClientTest {

    @Test
    void aBrokerThatAcceptsButNeverAnswersDoesNotHoldTheClientForGood() throws Exception {
        // accepts the TCP connection and says nothing, as HiveMQ does for a few seconds while it stops
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setConnectionTimeout(1);
            SessionMqttClient client = new SessionMqttClient("tcp://127.0.0.1:" + silent.getLocalPort(), "silent-test", options);
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                        assertThrows(MqttException.class, () -> client.subscribe("iiot/v1/+/+/data", 1)));
            } finally {
                client.shutdown();
            }
        }
    }
}
