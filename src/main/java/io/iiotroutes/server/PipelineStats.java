package io.iiotroutes.server;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.component.influxdb2.data.Points;

import java.time.Clock;
import java.util.List;

/**
 * The server's own health as a TSDB measurement ({@value #MEASUREMENT}, tags {@code site}, {@code instance}), one
 * point per period with what happened in that period: messages received (data and legacy routes), TSDB writes and
 * their mean duration, failed write attempts (each retry counts), dead letters, and how many messages are in flight
 * (delivered by the broker, not yet stored). Read from the routes' JMX counters (camel-management), so the routes
 * need no timing steps of their own.
 */
public class PipelineStats {

    public static final String MEASUREMENT = "pipeline";
    public static final List<String> RECEIVE_ROUTES = List.of("server-ingest-receive", "server-legacy-receive");
    static final String STORE_ROUTE = "server-ingest-store";

    /** Counters at one instant; a report is the difference of two of them. */
    record Counters(long received, long stored, long storeFailed, long storeMillis, long deadLetters, long inflight) {

        static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0);
    }

    private final String site;
    private final String instance;
    private final Clock clock;
    private Counters previous = Counters.ZERO;

    public PipelineStats(String site, String instance) {
        this(site, instance, Clock.systemUTC());
    }

    PipelineStats(String site, String instance, Clock clock) {
        this.site = site;
        this.instance = instance;
        this.clock = clock;
    }

    /** The point for the period since the previous call, or null when route statistics are not available (JMX off). */
    public synchronized Points report(CamelContext context) {
        ManagedCamelContext managed = context.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        if (managed == null) {
            return null;
        }
        long received = 0;
        long inflight = 0;
        for (String routeId : RECEIVE_ROUTES) {
            ManagedRouteMBean route = managed.getManagedRoute(routeId);
            if (route != null) {
                received += route.getExchangesCompleted();
                inflight += route.getExchangesInflight();
            }
        }
        ManagedRouteMBean store = managed.getManagedRoute(STORE_ROUTE);
        DeadLetters deadLetters = context.getRegistry().lookupByNameAndType("deadLetters", DeadLetters.class);
        Counters now = new Counters(received,
                store == null ? 0 : store.getExchangesCompleted(),
                store == null ? 0 : store.getExchangesFailed(),
                store == null ? 0 : store.getTotalProcessingTime(),
                deadLetters == null ? 0 : deadLetters.count(),
                inflight);
        Points points = Points.create(List.of(point(previous, now, clock.millis())));
        previous = now;
        return points;
    }

    Point point(Counters before, Counters now, long timestamp) {
        long stored = now.stored() - before.stored();
        long failed = now.storeFailed() - before.storeFailed();
        long millis = now.storeMillis() - before.storeMillis();
        long attempts = stored + failed;
        Point point = Point.measurement(MEASUREMENT)
                .addTag("site", site)
                .addTag("instance", instance)
                .addField("received", now.received() - before.received())
                .addField("stored", stored)
                .addField("write_failures", failed)
                .addField("deadletters", now.deadLetters() - before.deadLetters())
                .addField("deadletters_total", now.deadLetters())
                .addField("inflight", now.inflight())
                .time(timestamp, WritePrecision.MS);
        if (attempts > 0) {
            point.addField("write_ms_mean", (double) millis / attempts);
        }
        return point;
    }
}
