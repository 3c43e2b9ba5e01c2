package io.iiotroutes.ops;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Readiness of one external connection the pipeline depends on (MQTT broker, TSDB), asked afresh at every call.
 * A readiness check only: while the broker or the TSDB is away the application buffers and retries, so it is not
 * ready but must not be restarted (its liveness stays UP).
 */
public final class ConnectionHealthCheck extends AbstractHealthCheck {

    /** What a probe found: up or not, in words, and details for the report (e.g. backlog). */
    public record Probe(boolean up, String message, Map<String, Object> details) {

        public static Probe up(String message) {
            return new Probe(true, message, Map.of());
        }

        public static Probe down(String message) {
            return new Probe(false, message, Map.of());
        }

        public Probe with(Map<String, Object> more) {
            return new Probe(up, message, more);
        }
    }

    private final Supplier<Probe> probe;

    public ConnectionHealthCheck(String id, Supplier<Probe> probe) {
        super("iiot", id);
        this.probe = probe;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Probe found;
        try {
            found = probe.get();
        } catch (RuntimeException e) {
            found = Probe.down(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        builder.state(found.up() ? State.UP : State.DOWN).message(found.message()).details(found.details());
    }
}
