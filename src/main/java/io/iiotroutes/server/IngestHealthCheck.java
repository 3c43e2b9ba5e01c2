package io.iiotroutes.server;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The {@code ingest} check (docs/operations.md, health): is the pipeline moving?
 * <ul>
 *     <li>as a readiness check (and in {@code /observe/health}) it is DOWN while the pipeline is stalled, whatever
 *     the cause: messages wait, none is stored;</li>
 *     <li>as a liveness check it is DOWN only when the stall has no outage to explain it, i.e. while the TSDB
 *     answers: a stuck thread or a bug, which a restart clears (nothing is lost: the broker keeps what was not
 *     stored). A TSDB outage never makes the server "dead": restarting would not bring the TSDB back.</li>
 * </ul>
 */
public final class IngestHealthCheck extends AbstractHealthCheck {

    private final IngestStall stall;
    private final Supplier<IngestStall.Sample> sample;
    private final BooleanSupplier tsdbAnswers;

    public IngestHealthCheck(IngestStall stall, Supplier<IngestStall.Sample> sample, BooleanSupplier tsdbAnswers) {
        super("iiot", "ingest");
        this.stall = stall;
        this.sample = sample;
        this.tsdbAnswers = tsdbAnswers;
    }

    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        IngestStall.Sample now = sample.get();
        builder.detail("inflight", now.inflight());
        builder.detail("oldestInflightMs", now.oldestInflightMs());
        builder.detail("sinceLastStoredMs", now.sinceLastStoredMs());
        Optional<String> stalled = stall.stalled(now);
        if (stalled.isEmpty()) {
            builder.up().message(now.inflight() == 0 ? "idle or flowing: nothing waiting"
                    : now.inflight() + " message(s) in flight, flowing");
            return;
        }
        boolean liveness = options != null && options.get(HealthCheck.CHECK_KIND) == HealthCheck.Kind.LIVENESS;
        if (liveness && !tsdbAnswers.getAsBoolean()) {
            builder.up().message("stalled while the TSDB is away (" + stalled.get() + "): waiting, not dead");
            return;
        }
        builder.down().message("stalled: " + stalled.get());
    }
}
