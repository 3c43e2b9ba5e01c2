package io.iiotroutes.it;

import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.edge.forward.Confirmation;
import io.iiotroutes.edge.forward.PublisherSettings;
import io.iiotroutes.edge.forward.PublisherStats;
import io.iiotroutes.edge.forward.StoreAndForwardPublisher;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.net.NoDelaySocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator's publishers, one per simulated node; a message counts as published on its PUBACK (QoS 1).
 * <ul>
 *   <li>{@link Edge}: the real edge publisher ({@link StoreAndForwardPublisher}: a journal, one MQTT connection and
 *       its threads per node), as in every rate step;</li>
 *   <li>{@link Light}: a plain Paho async client with TCP_NODELAY and no journal, for the many-nodes step (a thousand
 *       edge publishers with their journals and threads would make the benchmark's JVM the bottleneck).</li>
 * </ul>
 */
interface BenchPublishers extends AutoCloseable {

    void publish(NodeMessage message);

    boolean connected();

    /** Messages the broker (or, with server confirmation, the server) has confirmed. */
    long confirmed();

    /** Messages not confirmed yet. */
    long backlog();

    @Override
    void close();

    final class Edge implements BenchPublishers {
        private final StoreAndForwardPublisher publisher;

        Edge(String brokerUrl, String clientId, String site, String node, Path journal, boolean serverConfirms, JsonMessageCodec codec)
                throws java.io.IOException {
            publisher = new StoreAndForwardPublisher(PublisherSettings.of(brokerUrl, clientId, site, node, journal)
                    .withConfirmation(serverConfirms ? Confirmation.SERVER : Confirmation.BROKER,
                            PublisherSettings.DEFAULT_RESEND_AFTER_MILLIS), codec);
            publisher.start();
        }

        @Override
        public void publish(NodeMessage message) {
            publisher.publish(message);
        }

        @Override
        public boolean connected() {
            return publisher.isConnected();
        }

        @Override
        public long confirmed() {
            PublisherStats stats = publisher.stats();
            return stats.published() + stats.replayed();
        }

        @Override
        public long backlog() {
            return publisher.stats().backlog();
        }

        @Override
        public void close() {
            publisher.close();
        }
    }

    final class Light implements BenchPublishers, MqttActionListener {
        private final MqttAsyncClient client;
        private final JsonMessageCodec codec;
        private final String topic;
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong confirmed = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();

        Light(String brokerUrl, String clientId, String site, String node, JsonMessageCodec codec) throws MqttException {
            this.codec = codec;
            this.topic = TopicContract.dataTopic(site, node);
            client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setSocketFactory(new NoDelaySocketFactory());
            options.setCleanStart(true);
            options.setAutomaticReconnect(false);
            options.setKeepAliveInterval(60);
            options.setConnectionTimeout(30);
            client.connect(options);
        }

        @Override
        public void publish(NodeMessage message) {
            MqttMessage mqtt = new MqttMessage(codec.encode(message));
            mqtt.setQos(1);
            sent.incrementAndGet();
            try {
                client.publish(topic, mqtt, null, this);
            } catch (MqttException e) {
                failed.incrementAndGet();
            }
        }

        @Override
        public void onSuccess(IMqttToken token) {
            confirmed.incrementAndGet();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            failed.incrementAndGet();
        }

        @Override
        public boolean connected() {
            return client.isConnected();
        }

        @Override
        public long confirmed() {
            return confirmed.get();
        }

        /** Sent and neither confirmed nor failed (a failed publish is not retried: it shows as not published). */
        @Override
        public long backlog() {
            return sent.get() - confirmed.get() - failed.get();
        }

        @Override
        public void close() {
            try {
                client.disconnect().waitForCompletion(5000);
            } catch (MqttException e) {
                // gone already
            }
            try {
                client.close(true);
            } catch (MqttException e) {
                // nothing to free
            }
        }
    }
}
