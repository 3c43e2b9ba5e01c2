package io.iiotroutes.broker;

import com.hivemq.embedded.EmbeddedHiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HiveMQ Community Edition running inside this JVM: the embedded default MQTT 5 broker.
 * <p>
 * HiveMQ takes its port only from {@code config.xml}, so this class writes one into its own configuration folder
 * before every start. Data and extensions get their own folders too: without them HiveMQ writes its data beside
 * its jar (in the Maven repository) and binds every interface. A stopped HiveMQ cannot start again, so each
 * {@link #start()} builds a fresh instance over the same folders (file persistence keeps queued sessions).
 */
public class EmbeddedMqttBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);
    private static final long START_STOP_TIMEOUT_SECONDS = 60;

    private final Path root;
    private final BrokerSettings settings;
    private EmbeddedHiveMQ hiveMq;

    public EmbeddedMqttBroker(Path root, BrokerSettings settings) {
        this.root = root;
        this.settings = settings;
    }

    public synchronized void start() {
        if (hiveMq != null) {
            return;
        }
        Path conf = root.resolve("conf");
        Path data = root.resolve("data");
        Path extensions = root.resolve("extensions");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(data);
            Files.createDirectories(extensions);
            Files.writeString(conf.resolve("config.xml"), settings.toConfigXml());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare broker folder " + root, e);
        }
        EmbeddedHiveMQ instance = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withoutLoggingBootstrap()
                .build();
        try {
            instance.start().get(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(instance);
            throw new IllegalStateException("interrupted while starting the MQTT broker", e);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(instance);
            throw new IllegalStateException("MQTT broker did not start on " + settings.bindAddress() + ":"
                    + settings.port() + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
        hiveMq = instance;
        LOG.info("Embedded MQTT broker started: {}", getUrl());
    }

    public synchronized void stop() {
        if (hiveMq == null) {
            return;
        }
        try {
            hiveMq.stop().get(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("MQTT broker did not stop cleanly: {}", e.getMessage());
        } finally {
            closeQuietly(hiveMq);
            hiveMq = null;
            LOG.info("Embedded MQTT broker stopped");
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return hiveMq != null;
    }

    /** The URL clients connect to. */
    public String getUrl() {
        String host = "0.0.0.0".equals(settings.bindAddress()) ? "127.0.0.1" : settings.bindAddress();
        return "tcp://" + host + ":" + settings.port();
    }

    private static void closeQuietly(EmbeddedHiveMQ instance) {
        try {
            instance.close();
        } catch (Exception e) {
            LOG.debug("error closing HiveMQ", e);
        } 
    }
}
