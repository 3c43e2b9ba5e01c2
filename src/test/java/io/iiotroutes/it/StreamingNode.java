package io.iiotroutes.it;

import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.edge.forward.Confirmation;
import io.iiotroutes.edge.forward.PublisherSettings;
import io.iiotroutes.edge.forward.PublisherStats;
import io.iiotroutes.edge.forward.StoreAndForwardPublisher;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node of our own publisher (journal, server acknowledgements, re-sends) streaming one channel, ai1, at a fixed
 * period until stopped: seq 1, 2, ... with the value the test sets ({@link #value}).
 */
final class StreamingNode implements AutoCloseable {

    final String site;
    final String name;
    final StoreAndForwardPublisher publisher;
    private final AtomicLong published = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final long start = System.currentTimeMillis();
    private volatile double value = 5.0;
    private volatile boolean streaming;

    StreamingNode(String brokerUrl, Path journal, String site, String name, long resendAfterMillis) throws IOException {
        this.site = site;
        this.name = name;
        publisher = new StoreAndForwardPublisher(PublisherSettings.of(brokerUrl, "it-node-" + name, site, name, journal)
                .withTimeouts(5, 5).withConfirmation(Confirmation.SERVER, resendAfterMillis), new JsonMessageCodec());
        publisher.start();
    }

    StreamingNode stream(long periodMillis) {
        streaming = true;
        timer.scheduleAtFixedRate(() -> {
            if (streaming) {
                long seq = published.get() + 1;
                publisher.publish(NodeMessage.live(site, name, seq, start + seq * periodMillis,
                        List.of(Reading.good("ai1", value, "bar", seq))));
                published.set(seq);
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The value of the next readings. */
    void value(double next) {
        value = next;
    }

    /** Stops publishing; returns how many messages were published. */
    long stop() {
        streaming = false;
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return published.get();
    }

    long published() {
        return published.get();
    }

    PublisherStats stats() {
        return publisher.stats();
    }

    @Override
    public void close() {
        stop();
        publisher.close();
    }
}
