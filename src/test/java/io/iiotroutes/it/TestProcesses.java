package io.iiotroutes.it;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the servers tests start as processes. */
final class TestProcesses {

    private TestProcesses() {
    }

    /** SIGTERM, so the process can save its state as in a service stop; SIGKILL if it is not gone within {@code grace}. */
    static void stopGracefully(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
