package io.iiotroutes.server;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestHealthCheckTest {

    private final AtomicReference<IngestStall.Sample> sample = new AtomicReference<>(new IngestStall.Sample(0, 0, -1));
    private final AtomicBoolean tsdbAnswers = new AtomicBoolean(true);
    private final IngestHealthCheck check = new IngestHealthCheck(new IngestStall(Duration.ofSeconds(10)), sample::get,
            tsdbAnswers::get);

    {
        check.setCamelContext(new DefaultCamelContext());
    }

    @Test
    void aStalledPipelineIsDownAndSaysForHowLong() {
        assertEquals(HealthCheck.State.UP, check.call().getState());
        sample.set(new IngestStall.Sample(4, 20_000, 15_000));

        HealthCheck.Result result = check.call();
        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertTrue(result.getMessage().orElseThrow().contains("none stored for 15 s"), result.getMessage().orElseThrow());
        assertEquals(4, result.getDetails().get("inflight"));
        assertEquals(HealthCheck.State.DOWN, check.callReadiness().getState());
    }

    @Test
    void isDeadOnlyWhenNoOutageExplainsTheStall() {
        sample.set(new IngestStall.Sample(4, 20_000, 15_000));
        assertEquals(HealthCheck.State.DOWN, check.call(Map.of(HealthCheck.CHECK_KIND, HealthCheck.Kind.LIVENESS)).getState(),
                "stuck while the TSDB answers: a restart helps");
        tsdbAnswers.set(false);
        assertEquals(HealthCheck.State.UP, check.call(Map.of(HealthCheck.CHECK_KIND, HealthCheck.Kind.LIVENESS)).getState(),
                "waiting for the TSDB: a restart would not bring it back");
        assertEquals(HealthCheck.State.DOWN, check.call().getState(), "but not ready, and the report says so");
    }
}
