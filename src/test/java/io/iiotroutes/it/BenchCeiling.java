package io.iiotroutes.it;

import io.iiotroutes.net.NoDelaySocketFactory;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * A broker's own QoS 1 ceiling on loopback, with nothing else of the benchmark running: one publisher, one
 * subscriber, our message size, as fast as the broker takes it.
 * <ul>
 *   <li>{@link #mosquittoClients}: {@code mosquitto_pub -l} and {@code mosquitto_sub} (Nagle's algorithm on: these
 *       clients do not set TCP_NODELAY);</li>
 *   <li>{@link #paho}: Paho MQTT 5 clients with the project's {@link NoDelaySocketFactory} (TCP_NODELAY, as our
 *       server and publishers connect), at most 100 messages in flight: the ceiling our sustained rate is compared
 *       with.</li>
 * </ul>
 */
final class BenchCeiling {

    /** A ceiling's result: messages/s, or NaN when the run did not finish. */
    record Result(double messagesPerSecond, String text) {
    }

    private static final int IN_FLIGHT = 100;

    private BenchCeiling() {
    }

    static Result mosquittoClients(Path work, int port, String payload, int messages, int channels) throws Exception {
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1",
                "-t", "bench/ceiling", "-C", Integer.toString(messages), "-i", "bench-ceiling-sub")
                .redirectErrorStream(true).redirectOutput(work.resolve("sub.out").toFile()).start();
        await().atMost(java.time.Duration.ofSeconds(10)).until(sub::isAlive);
        BenchProc.waitMillis(500);   // let the subscription settle before the first publish
        long start = System.nanoTime();
        // -l publishes each stdin line; stdin stays open until the subscriber has everything, because
        // mosquitto_pub drops what it has not sent yet when its input ends
        Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1",
                "-t", "bench/ceiling", "-l", "-i", "bench-ceiling-pub")
                .redirectErrorStream(true).redirectOutput(work.resolve("pub.out").toFile()).start();
        Thread feeder = new Thread(() -> {
            try {
                byte[] line = (payload + "\n").getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < messages; i++) {
                    pub.getOutputStream().write(line);
                }
                pub.getOutputStream().flush();
            } catch (IOException e) {
                // the publisher died: the subscriber's count shows it
            }
        }, "bench-ceiling-feeder");
        feeder.start();
        boolean done = sub.waitFor(120, TimeUnit.SECONDS);
        double secondsTaken = (System.nanoTime() - start) / 1e9;
        pub.getOutputStream().close();
        pub.waitFor(30, TimeUnit.SECONDS);
        sub.destroyForcibly();
        pub.destroyForcibly();
        long received;
        try (var lines = Files.lines(work.resolve("sub.out"))) {
            received = lines.count();
        }
        return result(done, received, messages, secondsTaken, payload.length(), channels);
    }

    static Result paho(String brokerUrl, String payload, int messages, int channels) throws Exception {
        CountDownLatch all = new CountDownLatch(messages);
        AtomicLong lastArrival = new AtomicLong();
        MqttAsyncClient sub = client(brokerUrl, "bench-ceiling-paho-sub");
        sub.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                lastArrival.set(System.nanoTime());
                all.countDown();
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        sub.subscribe("bench/ceiling-paho", 1).waitForCompletion(10_000);
        MqttAsyncClient pub = client(brokerUrl, "bench-ceiling-paho-pub");
        Semaphore window = new Semaphore(IN_FLIGHT);
        MqttActionListener release = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable exception) {
                window.release();
            }
        };
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            window.acquire();
            MqttMessage message = new MqttMessage(body);
            message.setQos(1);
            pub.publish("bench/ceiling-paho", message, null, release);
        }
        boolean done = all.await(120, TimeUnit.SECONDS);
        double secondsTaken = ((done ? lastArrival.get() : System.nanoTime()) - start) / 1e9;
        long received = messages - all.getCount();
        for (MqttAsyncClient c : new MqttAsyncClient[]{pub, sub}) {
            c.disconnect().waitForCompletion(5000);
            c.close(true);
        }
        return result(done, received, messages, secondsTaken, body.length, channels);
    }

    private static MqttAsyncClient client(String brokerUrl, String id) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(brokerUrl, id, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(new NoDelaySocketFactory());
        options.setCleanStart(true);
        options.setReceiveMaximum(IN_FLIGHT);
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    private static Result result(boolean done, long received, int messages, double seconds, int bytes, int channels) {
        return done
                ? new Result(received / seconds, String.format(Locale.ROOT, "%,.0f msg/s = %,.0f points/s (%d messages of %d bytes, QoS 1)",
                received / seconds, received * channels / seconds, received, bytes))
                : new Result(Double.NaN, "did not finish: " + received + " of " + messages + " received in 120 s");
    }
}
