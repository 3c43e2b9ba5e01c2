package io.iiotroutes.app;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShutdownWatchdogTest {

    @Test
    void haltsWhenTheShutdownDoesNotFinishInTime() {
        AtomicBoolean halted = new AtomicBoolean();
        new ShutdownWatchdog(() -> Duration.ofMillis(50), () -> halted.set(true)).watch();
        assertTrue(halted.get());
    }

    @Test
    void letsTheJvmExitAsSoonAsTheApplicationHasStopped() {
        AtomicBoolean halted = new AtomicBoolean();
        ShutdownWatchdog watchdog = new ShutdownWatchdog(() -> Duration.ofMinutes(5), () -> halted.set(true));
        watchdog.stopped();
        long start = System.nanoTime();
        watchdog.watch();
        assertFalse(halted.get());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "returned at once");
    }
}
