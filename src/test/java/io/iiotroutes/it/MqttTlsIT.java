package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.broker.PasswordHash;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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
        Files.writeString(users, "tls-1 = node:" + PasswordHash.hash("tls-1-pw".toCharArray()) + "\n");
        int plainPort = TestPorts.free();
        int tlsPort = TestPorts.free();
        server = new IiotApplication(Mode.SERVER, Map.ofEntries(
                Map.entry("iiot.site", "it"),
                Map.entry("iiot.data.dir", dir.resolve("server").toString()),
                Map.entry("iiot.broker.port", Integer.toString(plainPort)),
                Map.entry("iiot.broker.persistent", "false"),
                Map.entry("iiot.broker.users-file", users.toString()),
                Map.entry("iiot.broker.tls.port", Integer.toString(tlsPort)),
                Map.entry("iiot.broker.tls.keystore", certificates.keystore().toString()),
                Map.entry("iiot.broker.tls.keystore-password", certificates.password()),
                Map.entry("iiot.broker.tls.required", "true"),
                Map.entry("iiot.tsdb.http-port", "0"),
                Map.entry("iiot.tsdb.pg-port", "0"),
                Map.entry("iiot.web.port", Integer.toString(TestPorts.free()))));
        server.start();
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
    }
}
