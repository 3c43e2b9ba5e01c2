package io.iiotroutes.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Stop means stop: once the JVM is asked to exit (SIGTERM, Ctrl+C), the process ends within the shutdown
 * timeout plus a grace period, even when a thread is stuck (a TSDB that never answers, a bug). Camel's graceful
 * shutdown runs first; if it has not finished by then, the stuck threads are logged and the JVM is halted. Nothing
 * unstored has been acknowledged at that point (messages are acknowledged only after their write), so the broker
 * delivers them again to the next start.
 */
final class ShutdownWatchdog {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownWatchdog.class);
    static final int EXIT_CODE = 1;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Supplier<Duration> limit;
    private final Runnable halt;

    /** @param limit how long a shutdown may take, asked when it starts (the settings are read by then) */
    ShutdownWatchdog(Supplier<Duration> limit) {
        this(limit, () -> Runtime.getRuntime().halt(EXIT_CODE));
    }

    ShutdownWatchdog(Supplier<Duration> limit, Runnable halt) {
        this.limit = limit;
        this.halt = halt;
    }

    /** Watches every shutdown of this JVM from now on. */
    void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::watch, "iiot-shutdown-watchdog"));
    }

    /** The application has stopped: the watchdog lets the JVM exit. */
    void stopped() {
        stopped.countDown();
    }

    /** Waits for {@link #stopped()} up to the limit; halts when it does not come. */
    void watch() {
        Duration allowed = limit.get();
        try {
            if (stopped.await(allowed.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        LOG.error("shutdown did not finish within {} s: halting the JVM now (exit {}); unstored messages stay with "
                + "the broker. Threads still running:{}", allowed.toSeconds(), EXIT_CODE, stuckThreads());
        halt.run();
    }

    private static String stuckThreads() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            Thread thread = entry.getKey();
            if (thread.isDaemon() || thread == Thread.currentThread() || entry.getValue().length == 0) {
                continue;
            }
            text.append("\n  ").append(thread.getName()).append(" (").append(thread.getState()).append(")");
            for (int i = 0; i < Math.min(4, entry.getValue().length); i++) {
                text.append("\n      at ").append(entry.getValue()[i]);
            }
        }
        return text.toString();
    }
}
