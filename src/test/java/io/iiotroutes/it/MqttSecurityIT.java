package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.broker.PasswordHash;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.net.NoDelaySslSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's embedded broker with accounts from a users file and a TLS listener: who may connect, who may
 * publish where (the reason codes a refused client sees), and that hostile payloads store nothing extra.
 */
class MqttSecurityIT {

    private static final int NOT_AUTHORIZED = 0x87;
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final String SITE = "plant";

    @TempDir
    static Path dir;
    private static IiotApplication server;
    private static TestCertificates certificates;
    private static int brokerPort;
    private static int tlsPort;
    private static final AtomicLong seq = new AtomicLong();
    private final JsonMessageCodec codec = new JsonMessageCodec();

    @BeforeAll
    static void startServer() throws Exception {
        certificates = TestCertificates.create(dir);
        Path users = dir.resolve("mqtt-users.properties");
        Files.writeString(users, "node-1 = node:" + PasswordHash.hash("node-1-pw".toCharArray()) + "\n"
                + "node-2 = node:" + PasswordHash.hash("node-2-pw".toCharArray()) + "\n");
        TestServer test = TestServer.of(Mode.SERVER, dir.resolve("data"))
                .with("iiot.site", SITE)
                .with("iiot.broker.users-file", users.toString())
                .withTls(certificates);
        brokerPort = test.brokerPort();
        tlsPort = test.tlsPort();
        server = test.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.stop();
    }

    private static String tsdbUrl() {
        return server.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
    }

    private static MqttAsyncClient connect(String url, String clientId, String user, String password) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(10);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        if (url.startsWith("ssl:")) {
            options.setSocketFactory(NoDelaySslSocketFactory.trusting(certificates.truststore(),
                    certificates.password().toCharArray()));
        }
        client.connect(options).waitForCompletion(15_000);
        return client;
    }

    private static void close(MqttAsyncClient client) throws Exception {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(5_000);
        }
        client.close();
    }

    private byte[] message(String node, Reading reading) {
        return codec.encode(NodeMessage.live(SITE, node, seq.incrementAndGet(), System.currentTimeMillis(), List.of(reading)));
    }

    /** Publishes with QoS 1 and returns the PUBACK's reason code. */
    private static int publish(MqttAsyncClient client, String topic, byte[] payload) throws Exception {
        IMqttToken token = client.publish(topic, payload, 1, false);
        token.waitForCompletion(10_000);
        return token.getReasonCodes() == null || token.getReasonCodes().length == 0 ? 0 : token.getReasonCodes()[0];
    }

    private static long rows(String where) {
        return TsdbRows.count(tsdbUrl(), where);
    }

    private static List<Map<String, Object>> deadLetterReasons() {
        try {
            return TsdbRows.query(tsdbUrl(), "SELECT reason FROM deadletter WHERE node = 'node-2'");
        } catch (IllegalStateException e) {
            return List.of(); // no dead letter yet: no table
        }
    }

    @Test
    void clientsWithoutCredentialsOrWithAWrongPasswordAreRefused() {
        String url = "tcp://127.0.0.1:" + brokerPort;
        MqttException anonymous = assertThrows(MqttException.class, () -> connect(url, "it-anonymous", null, null));
        assertEquals(NOT_AUTHORIZED, anonymous.getReasonCode(), anonymous.toString());

        MqttException wrong = assertThrows(MqttException.class, () -> connect(url, "it-wrong", "node-1", "node-2-pw"));
        assertEquals(BAD_USER_NAME_OR_PASSWORD, wrong.getReasonCode(), wrong.toString());

        MqttException unknown = assertThrows(MqttException.class, () -> connect(url, "it-unknown", "node-9", "node-1-pw"));
        assertEquals(BAD_USER_NAME_OR_PASSWORD, unknown.getReasonCode(), unknown.toString());
    }

    @Test
    void aNodePublishingUnderAnotherNodesTopicIsRefusedAndNothingIsStored() throws Exception {
        MqttAsyncClient spoofer = connect("tcp://127.0.0.1:" + brokerPort, "it-node-1-spoofing", "node-1", "node-1-pw");
        int spoofed = publish(spoofer, TopicContract.dataTopic(SITE, "node-2"),
                message("node-2", Reading.good("spoof1", 666.0, "bar", null)));
        assertEquals(NOT_AUTHORIZED, spoofed, "PUBACK reason code of a publish under node-2's topic");
        // then the broker disconnects it, as EMQX does (deny_action = disconnect)
        await().atMost(Duration.ofSeconds(10)).until(() -> !spoofer.isConnected());
        close(spoofer);

        MqttAsyncClient node1 = connect("tcp://127.0.0.1:" + brokerPort, "it-node-1", "node-1", "node-1-pw");
        try {
            int own = publish(node1, TopicContract.dataTopic(SITE, "node-1"),
                    message("node-1", Reading.good("acl1", 1.0, "bar", null)));
            assertEquals(0, own);
            await().atMost(Duration.ofSeconds(30)).until(() -> rows("node = 'node-1' AND channel = 'acl1'") == 1);
            // node-1's own message was stored after the spoofed one was handled: the spoofed one is not there
            assertEquals(0, rows("channel = 'spoof1'"));

            // a node reads nothing: its subscriptions are refused
            IMqttToken subscription = node1.subscribe(new MqttSubscription[]{new MqttSubscription("iiot/v1/#", 1)}, null, null,
                    new IMqttMessageListener[]{(topic, m) -> { }}, null);
            subscription.waitForCompletion(10_000);
            assertArrayEquals(new int[]{NOT_AUTHORIZED}, subscription.getReasonCodes());
        } finally {
            close(node1);
        }
    }

    @Test
    void craftedPayloadsStoreNothingExtraAndAreDeadLetteredWithAClearReason() throws Exception {
        MqttAsyncClient node2 = connect("tcp://127.0.0.1:" + brokerPort, "it-node-2", "node-2", "node-2-pw");
        try {
            String topic = TopicContract.dataTopic(SITE, "node-2");
            // line-protocol specials in a tag value: stored as that literal text, one row, no other node's row
            String unit = "bar,node=node-1 value=99 1 \"x\"";
            assertEquals(0, publish(node2, topic, message("node-2", Reading.good("inj1", 2.0, unit, null))));
            // a backslash would escape the client's escaping: refused
            assertEquals(0, publish(node2, topic, message("node-2", Reading.good("inj4", 2.0, "bar\\ value=1", null))));
            // a newline in a channel id would start a new line-protocol record: refused
            assertEquals(0, publish(node2, topic, message("node-2",
                    Reading.good("ai1\nreading,site=plant,node=node-1,channel=x value=5", 3.0, "bar", null))));
            // a payload speaking for another node on its own topic: refused
            assertEquals(0, publish(node2, topic, message("node-1", Reading.good("inj2", 4.0, "bar", null))));
            // oversized payload (limit iiot.server.max-payload-bytes = 65536)
            assertEquals(0, publish(node2, topic, message("node-2", Reading.good("inj3", 5.0, "x".repeat(70_000), null))));

            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetterReasons().size() >= 4
                    && rows("channel = 'inj1'") == 1);
            List<Map<String, Object>> stored = TsdbRows.query(tsdbUrl(),
                    "SELECT node, channel, unit, value FROM reading WHERE channel = 'inj1'");
            assertEquals(List.of(Map.of("node", "node-2", "channel", "inj1", "unit", unit, "value", 2.0)), stored);
            assertEquals(0, rows("node = 'node-1' AND channel IN ('x', 'inj2', 'inj3')"));
            assertEquals(0, rows("channel IN ('inj2', 'inj3', 'inj4', 'x')"));
            String all = deadLetterReasons().toString();
            assertTrue(all.contains("channel id"), all);
            assertTrue(all.contains("contains a backslash"), all);
            assertTrue(all.contains("arrived on the topic of " + SITE + "/node-2"), all);
            assertTrue(all.contains("over the limit of 65536"), all);
        } finally {
            close(node2);
        }
    }

    @Test
    void tlsClientsConnectWithTheTruststoreAndStillNeedAnAccount() throws Exception {
        String tlsUrl = "ssl://127.0.0.1:" + tlsPort;
        MqttException anonymous = assertThrows(MqttException.class, () -> connect(tlsUrl, "it-tls-anonymous", null, null));
        assertEquals(NOT_AUTHORIZED, anonymous.getReasonCode(), anonymous.toString());

        MqttAsyncClient node1 = connect(tlsUrl, "it-tls-node-1", "node-1", "node-1-pw");
        try {
            assertEquals(0, publish(node1, TopicContract.dataTopic(SITE, "node-1"),
                    message("node-1", Reading.good("tls1", 7.0, "bar", null))));
            await().atMost(Duration.ofSeconds(30)).until(() -> rows("channel = 'tls1'") == 1);
        } finally {
            close(node1);
        }
    }
}
