package io.iiotroutes.ops;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionHealthCheckTest {

    private static HealthCheck.Result call(ConnectionHealthCheck check) {
        check.setCamelContext(new DefaultCamelContext());
        return check.call();
    }

    @Test
    void reportsWhatTheProbeFindsAtEachCall() {
        AtomicBoolean connected = new AtomicBoolean(true);
        ConnectionHealthCheck check = new ConnectionHealthCheck("mqtt-broker", () -> connected.get()
                ? ConnectionHealthCheck.Probe.up("connected")
                : ConnectionHealthCheck.Probe.down("reconnecting").with(Map.of("backlog", 12L)));

        assertEquals(HealthCheck.State.UP, call(check).getState());
        connected.set(false);
        HealthCheck.Result down = call(check);
        assertEquals(HealthCheck.State.DOWN, down.getState());
        assertEquals("reconnecting", down.getMessage().orElseThrow());
        assertEquals(12L, down.getDetails().get("backlog"));
    }

    @Test
    void aProbeThatThrowsIsDownNotAnError() {
        HealthCheck.Result result = call(new ConnectionHealthCheck("tsdb", () -> {
            throw new IllegalStateException("connection refused");
        }));

        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertTrue(result.getMessage().orElseThrow().contains("connection refused"));
    }

    @Test
    void anOutageMakesTheApplicationUnreadyButNotDead() {
        ConnectionHealthCheck check = new ConnectionHealthCheck("tsdb", () -> ConnectionHealthCheck.Probe.up("ok"));
        assertTrue(check.isReadiness());
        assertFalse(check.isLiveness());
    }
}
