package io.iiotroutes.tsdb;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.influxdb.dto.BatchPoints;

import java.util.Collection;
import java.util.concurrent.Callable;

/**
 * Meters of the TSDB writes, taken where the write happens (the synchronous client wrappers), so every route that
 * writes is measured the same way: {@code iiot_tsdb_write_seconds} (latency of each write request, successful or
 * not), {@code iiot_tsdb_write_points} (points per request: the batch size) and {@code iiot_tsdb_write_failures_total}.
 */
public final class WriteMetrics {

    private final Timer latency;
    private final DistributionSummary batchSize;
    private final Counter failures;

    public WriteMetrics(MeterRegistry registry) {
        latency = Timer.builder("iiot.tsdb.write")
                .description("Duration of one TSDB write request, until the database answered")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        batchSize = DistributionSummary.builder("iiot.tsdb.write.points")
                .description("Points sent in one TSDB write request")
                .baseUnit("points")
                .register(registry);
        failures = Counter.builder("iiot.tsdb.write.failures")
                .description("TSDB write requests that failed (each retry counts)")
                .register(registry);
    }

    /** Meters kept nowhere, for a client used without a metrics registry. */
    public static WriteMetrics unobserved() {
        return new WriteMetrics(new SimpleMeterRegistry());
    }

    /** Runs one write request of {@code points} points and records it. */
    public <T> T record(int points, Callable<T> write) throws Exception {
        long start = System.nanoTime();
        try {
            return write.call();
        } catch (Exception | Error e) {
            failures.increment();
            throw e;
        } finally {
            latency.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            batchSize.record(points);
        }
    }

    /** How many points a write method's arguments carry (a point, a line, a collection or a v1 BatchPoints). */
    static int pointsIn(Object[] args) {
        if (args == null) {
            return 0;
        }
        for (Object arg : args) {
            if (arg instanceof Collection<?> collection) {
                return collection.size();
            }
            if (arg instanceof BatchPoints batch) {
                return batch.getPoints().size();
            }
        }
        return 1;
    }
}
