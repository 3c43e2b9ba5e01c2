package io.iiotroutes.it;

import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node publishing a bounded stream at a fixed rate with QoS 1: seq 1..count, one reading each, value = seq.
 * A message counts as published once the broker acknowledged it.
 */
final class StreamPublisher implements AutoCloseable {

    private final JsonMessageCodec codec = new JsonMessageCodec();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final MqttClient client;
    private final MqttConnectionOptions options = new MqttConnectionOptions();
    private final String site;
    private final String node;
    private final AtomicLong published = new AtomicLong();
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private final long startMillis = System.currentTimeMillis();
    private ScheduledFuture<?> task;

    StreamPublisher(String brokerUrl, String site, String node) throws Exception {
        this.site = site;
        this.node = node;
        client = new MqttClient(brokerUrl, "it-stream-" + node, new MemoryPersistence());
        // no Paho automatic reconnect: 1.2.5 gives up after one failed attempt; each tick reconnects instead
        options.setConnectionTimeout(5);
        client.connect(options);
    }

    static NodeMessage message(String site, String node, long seq, long startMillis) {
        return NodeMessage.live(site, node, seq, startMillis + seq, java.util.List.of(Reading.good("ai1", seq, "bar", seq)));
    }

    /** Starts publishing {@code count} messages, one every {@code periodMillis}. */
    StreamPublisher start(long count, long periodMillis) {
        task = timer.scheduleAtFixedRate(() -> {
            long seq = published.get() + 1;
            if (seq > count) {
                done.complete(published.get());
                task.cancel(false);
                return;
            }
            try {
                if (!client.isConnected()) {
                    client.connect(options);
                }
                client.publish(TopicContract.dataTopic(site, node), codec.encode(message(site, node, seq, startMillis)), 1, false);
                published.incrementAndGet();
            } catch (Exception e) {
                // not acknowledged: the same seq is tried again at the next tick
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    long published() {
        return published.get();
    }

    long awaitDone(long timeoutSeconds) throws Exception {
        return done.get(timeoutSeconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
