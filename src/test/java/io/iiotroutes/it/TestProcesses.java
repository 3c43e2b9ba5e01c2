package io.iiotroutes.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting the packaged application as a process of its own, and stopping the servers tests start as processes. */
final class TestProcesses {

    private TestProcesses() {
    }

    /** {@code java [jvmArgs] -jar target/iiot-routes.jar [args]}, output and errors to {@code log}. */
    static Process startJar(Path log, List<String> jvmArgs, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", "target/iiot-routes.jar"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
