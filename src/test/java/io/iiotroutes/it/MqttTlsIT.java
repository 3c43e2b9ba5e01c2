package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.broker.PasswordHash;
import io.iiotroutes.net.NoDelaySslSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS required on the embedded broker (no plain listener): the server's own clients and an edge node (its account
 * from the users file, the generated truststore) run over ssl:// end to end, and a plain TCP client gets nowhere.
 */
class MqttTlsIT {

    @TempDir
    Path dir;
    private IiotApplication server;
    private IiotApplication edge;

    @AfterEach
    void stop() throws Exception {
        if (edge != null) {
            edge.stop();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void edgeAndServerRunOverTlsAndPlainTcpIsRefused() throws Exception {
        TestCertificates certificates = TestCertificates.create(dir);
        Path users = dir.resolve("mqtt-users.properties");
        Files.writeString(users, "tls-1 = node:" + PasswordHash.hash("tls-1-pw".toCharArray()) + "\n"
                + "it-ops = server:" + PasswordHash.hash("it-ops-pw".toCharArray()) + "\n");
        TestServer test = TestServer.of(Mode.SERVER, dir.resolve("server"))
                .with("iiot.site", "it")
                .with("iiot.broker.users-file", users.toString())
                .withTls(certificates)
                .with("iiot.broker.tls.required", "true");
        int plainPort = test.brokerPort();
        int tlsPort = test.tlsPort();
        server = test.start();
        String tlsUrl = "ssl://127.0.0.1:" + tlsPort;
        assertEquals(tlsUrl, server.runtime().embeddedBroker().orElseThrow().getUrl());

        // no plain listener at all
        MqttClient plain = new MqttClient("tcp://127.0.0.1:" + plainPort, "it-plain", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName("tls-1");
        options.setPassword("tls-1-pw".getBytes(StandardCharsets.UTF_8));
        options.setConnectionTimeout(5);
        assertThrows(MqttException.class, () -> plain.connect(options));
        plain.close();
        // a plain client on the TLS port gets no CONNACK either
        MqttClient plainOnTls = new MqttClient("tcp://127.0.0.1:" + tlsPort, "it-plain-on-tls", new MemoryPersistence());
        assertThrows(MqttException.class, () -> plainOnTls.connect(options));
        plainOnTls.close();

        Path nodeFile = dir.resolve("tls-1.yaml");
        Files.writeString(nodeFile, """
                site: it
                node: tls-1
                driver:
                  type: simulated
                  seed: 3
                groups:
                  - name: fast
                    periodMs: 200
                    channels:
                      - id: ai1
                        signal: 0-10V
                        range: [0, 100]
                        unit: "%"
                        simulation: { shape: ramp, min: 0, max: 10, periodS: 5 }
                """);
        edge = new IiotApplication(Mode.EDGE, Map.of(
                "iiot.data.dir", dir.resolve("edge").toString(),
                "iiot.mqtt.url", tlsUrl,
                "iiot.mqtt.username", "tls-1",
                "iiot.mqtt.password", "tls-1-pw",
                "iiot.mqtt.tls.truststore", certificates.truststore().toString(),
                "iiot.mqtt.tls.truststore-password", certificates.password(),
                "iiot.edge.observe-port", Integer.toString(TestPorts.free()),
                "iiot.edge.nodes", nodeFile.toString()));
        edge.start();

        String tsdbUrl = server.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
        await().atMost(Duration.ofSeconds(60)).until(() -> TsdbRows.count(tsdbUrl, "node = 'tls-1'") >= 3);
        assertTrue(edge.runtime().edgePublishers().get(0).stats().connected());

        // the server's Camel producer over TLS too: a bad message from the node comes back as a dead letter
        BlockingQueue<String> deadLetters = new LinkedBlockingQueue<>();
        MqttClient watcher = tlsClient(tlsUrl, "it-ops", "it-ops", "it-ops-pw", certificates);
        watcher.subscribe(new MqttSubscription[]{new MqttSubscription("iiot/v1/_deadletter", 1)},
                new IMqttMessageListener[]{(topic, m) -> deadLetters.add(new String(m.getPayload(), StandardCharsets.UTF_8))});
        MqttClient node = tlsClient(tlsUrl, "it-tls-1-raw", "tls-1", "tls-1-pw", certificates);
        node.publish("iiot/v1/it/tls-1/data", "{not json".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters.isEmpty());
        String letter = deadLetters.peek();
        assertTrue(letter.contains("malformed JSON"), letter);
        node.disconnect();
        node.close();
        watcher.disconnect();
        watcher.close();
    }

    private static MqttClient tlsClient(String url, String clientId, String user, String password,
                                        TestCertificates certificates) throws Exception {
        MqttClient client = new MqttClient(url, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(user);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        options.setConnectionTimeout(10);
        options.setSocketFactory(NoDelaySslSocketFactory.trusting(certificates.truststore(),
                certificates.password().toCharArray()));
        client.connect(options);
        return client;
    }
}
