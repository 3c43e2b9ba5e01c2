package io.iiotroutes.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Debian's mosquitto run by a test on a loopback port, with on-disk persistence, restartable. */
final class MosquittoBroker implements AutoCloseable {

    /** Debian installs it in /usr/sbin, which is not on every PATH. */
    private static final String EXECUTABLE = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";

    private final Path dir;
    private final int port;
    private Process process;

    MosquittoBroker(Path dir, int port) throws IOException {
        this(dir, port, "allow_anonymous true\n");
    }

    /** With {@code security}: mosquitto.conf lines for authentication / authorization. */
    MosquittoBroker(Path dir, int port, String security) throws IOException {
        this(dir, port, security, "all");
    }

    /**
     * @param logTypes mosquitto {@code log_type}s: "all" for tests (every packet, for diagnosis); the benchmark
     *                 logs errors and warnings only, since logging every packet costs Mosquitto most of its throughput
     */
    MosquittoBroker(Path dir, int port, String security, String logTypes) throws IOException {
        this(dir, port, security, logTypes, true);
    }

    /** A broker without persistence: a restart forgets every session, subscription and queued message. */
    static MosquittoBroker forgetful(Path dir, int port) throws IOException {
        return new MosquittoBroker(dir, port, "allow_anonymous true\n", "all", false);
    }

    private MosquittoBroker(Path dir, int port, String security, String logTypes, boolean persistent) throws IOException {
        this.dir = dir;
        this.port = port;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("mosquitto.conf"), """
                listener %d 127.0.0.1
                # started as root, mosquitto drops to user 'mosquitto' and then cannot write its persistence file here
                user %s
                %s
                persistence %s
                persistence_location %s/
                autosave_interval 1
                max_queued_messages 100000
                max_inflight_messages 100
                set_tcp_nodelay true
                log_dest file %s/mosquitto.log
                %s
                """.formatted(port, System.getProperty("user.name"), security.strip(), persistent, dir.toAbsolutePath(),
                dir.toAbsolutePath(), java.util.Arrays.stream(logTypes.split(" ")).map(t -> "log_type " + t)
                        .collect(java.util.stream.Collectors.joining("\n"))));
    }

    /** The server's process id (for its CPU and memory figures). */
    long pid() {
        return process.pid();
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    void start() throws IOException {
        process = new ProcessBuilder(EXECUTABLE, "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
    }

    /** SIGTERM: mosquitto writes its persistence file and exits, as in a service restart. */
    void stop() {
        if (process != null) {
            TestProcesses.stopGracefully(process, Duration.ofSeconds(10));
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    static void requireInstalled() {
        try {
            new ProcessBuilder(EXECUTABLE, "-h").start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("mosquitto is not installed (apt-get install mosquitto)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
