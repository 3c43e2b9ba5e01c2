package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A broker with accounts and a per-node ACL, as in compose/ (there EMQX; here Debian's Mosquitto with the same
 * rules): the server and an edge node each log in with iiot.mqtt.username / iiot.mqtt.password, the node may
 * publish only under iiot/v1/demo/<its username>/#, and its readings reach the TSDB. Anonymous clients are refused.
 */
class BrokerCredentialsIT {

    @TempDir
    Path dir;
    private MosquittoBroker broker;
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
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void serverAndNodeLogInAndTheNodesReadingsAreStored() throws Exception {
        MosquittoBroker.requireInstalled();
        Path brokerDir = Files.createDirectories(dir.resolve("broker"));
        Path passwords = brokerDir.resolve("passwords");
        Files.writeString(passwords, "iiot-server:server-secret\nnode-1:node-secret\n");
        Process hash = new ProcessBuilder("mosquitto_passwd", "-U", passwords.toString()).redirectErrorStream(true).start();
        hash.getInputStream().readAllBytes();
        hash.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, hash.exitValue(), "mosquitto_passwd -U");
        Path acl = brokerDir.resolve("acl");
        Files.writeString(acl, """
                user iiot-server
                topic read iiot/v1/#
                topic write iiot/v1/_deadletter
                topic write iiot/v1/+/+/alarm
                topic write iiot/v1/+/+/ack
                pattern write iiot/v1/demo/%u/#
                pattern read iiot/v1/demo/%u/ack
                """);
        int port = TestPorts.free();
        // mosquitto started as root reads these files as its own user 'mosquitto' (the temp dir is private)
        for (Path p : new Path[]{dir, brokerDir}) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (Path p : new Path[]{passwords, acl}) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        broker = new MosquittoBroker(brokerDir, port, """
                allow_anonymous false
                password_file %s
                acl_file %s
                """.formatted(passwords.toAbsolutePath(), acl.toAbsolutePath()));
        broker.start();

        MqttClient anonymous = new MqttClient(broker.url(), "it-anonymous", new MemoryPersistence());
        assertThrows(MqttException.class, anonymous::connect, "anonymous clients are refused");
        anonymous.close();

        server = new IiotApplication(Mode.SERVER, Map.of(
                "iiot.data.dir", dir.resolve("server").toString(),
                "iiot.mqtt.url", broker.url(),
                "iiot.mqtt.username", "iiot-server",
                "iiot.mqtt.password", "server-secret",
                "iiot.tsdb.http-port", "0",
                "iiot.tsdb.pg-port", "0",
                "iiot.web.port", Integer.toString(TestPorts.free())));
        server.start();
        edge = new IiotApplication(Mode.EDGE, Map.of(
                "iiot.data.dir", dir.resolve("edge").toString(),
                "iiot.mqtt.url", broker.url(),
                "iiot.mqtt.username", "node-1",
                "iiot.mqtt.password", "node-secret",
                "iiot.edge.observe-port", Integer.toString(TestPorts.free()),
                "iiot.edge.nodes", "config/nodes/node-1.yaml"));
        edge.start();

        String tsdb = server.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> TsdbRows.count(tsdb, "node = 'node-1'") >= 5);
    }
}
