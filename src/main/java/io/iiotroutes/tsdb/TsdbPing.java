package io.iiotroutes.tsdb;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.influxdb.client.InfluxDBClient;
import org.influxdb.InfluxDB;

/** Whether the TSDB answers, whichever write path's client the application runs with. */
public final class TsdbPing {

    private TsdbPing() {
    }

    private static final ExecutorService PINGS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "tsdb-ping");
        thread.setDaemon(true);
        return thread;
    });

    /** As {@link #ping(Object)}, false when the TSDB has not answered within the timeout. */
    public static boolean ping(Object client, Duration timeout) {
        try {
            return CompletableFuture.supplyAsync(() -> ping(client), PINGS).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static boolean ping(Object client) {
        if (client instanceof InfluxDBClient v2) {
            return v2.ping();
        }
        if (client instanceof InfluxDB v1) {
            try {
                return v1.ping().isGood();
            } catch (RuntimeException e) {
                return false;
            }
        }
        throw new IllegalArgumentException("not a TSDB client: " + client);
    }
}
