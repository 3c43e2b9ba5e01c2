package io.iiotroutes.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
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
 * <p>
 * With a {@link BrokerSecurity} every client must log in with an account and is held to its topic rules; without
 * one (tests that stand in for a third-party broker) every client is let in.
 */
public class EmbeddedMqttBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);
    private static final long START_STOP_TIMEOUT_SECONDS = 60;

    private final Path root;
    private final BrokerSettings settings;
    private final BrokerSecurity security;
    private EmbeddedHiveMQ hiveMq;

    /** A broker without authentication: every client may connect, publish and subscribe. */
    public EmbeddedMqttBroker(Path root, BrokerSettings settings) {
        this(root, settings, null);
    }

    public EmbeddedMqttBroker(Path root, BrokerSettings settings, BrokerSecurity security) {
        this.root = root;
        this.settings = settings;
        this.security = security;
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
            writeOwnerOnly(conf.resolve("config.xml"), settings.toConfigXml()); // holds the keystore password with TLS
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare broker folder " + root, e);
        }
        EmbeddedHiveMQBuilder builder = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withoutLoggingBootstrap();
        if (security != null) {
            builder.withEmbeddedExtension(EmbeddedExtension.builder()
                    .withId("iiot-routes-security")
                    .withName("IIoT Routes authentication and topic rules")
                    .withVersion("1")
                    .withPriority(1000)
                    .withStartPriority(1000)
                    .withExtensionMain(security)
                    .build());
        }
        EmbeddedHiveMQ instance = builder.build();
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

    /** The URL clients connect to: the TLS listener's when plain TCP is off. */
    public String getUrl() {
        return settings.tlsRequired() ? getTlsUrl().orElseThrow() : "tcp://" + clientHost() + ":" + settings.port();
    }

    /** The TLS listener's URL, when there is one. */
    public Optional<String> getTlsUrl() {
        return Optional.ofNullable(settings.tls()).map(tls -> "ssl://" + clientHost() + ":" + tls.port());
    }

    public Optional<BrokerSecurity> security() {
        return Optional.ofNullable(security);
    }

    private String clientHost() {
        return "0.0.0.0".equals(settings.bindAddress()) ? "127.0.0.1" : settings.bindAddress();
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, text);
    }

    private static void closeQuietly(EmbeddedHiveMQ instance) {
        try {
            instance.close();
        } catch (Exception e) {
            LOG.debug("error closing HiveMQ", e);
        } 
    }
}
