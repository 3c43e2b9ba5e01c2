package io.iiotroutes.edge.forward;

import io.iiotroutes.codec.JsonMessageCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;

/**
 * A broker that accepts the TCP connection and never answers (Mosquitto or HiveMQ while they stop or start): Paho
 * would wait for its CONNACK for good (paho.mqtt.java#511), and the node would stay offline long after the broker
 * is back. The publisher drops such an attempt and tries again.
 */
class SilentBrokerTest {

    @TempDir
    Path dir;

    @Test
    void anUnansweredConnectionAttemptIsDroppedAndTriedAgain() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());   // and say nothing
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "silent-broker");
            acceptor.setDaemon(true);
            acceptor.start();
            PublisherSettings settings = TestMessages.settings("tcp://127.0.0.1:" + silent.getLocalPort(), dir.resolve("journal"))
                    .withTimeouts(1, 5);
            try (StoreAndForwardPublisher publisher = new StoreAndForwardPublisher(settings, new JsonMessageCodec())) {
                publisher.start();
                // 1 s connect timeout + 5 s grace per attempt, then the back-off
                await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 3);
            }
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }
}
