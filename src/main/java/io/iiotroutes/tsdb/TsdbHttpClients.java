package io.iiotroutes.tsdb;

import io.iiotroutes.net.NoDelaySocketFactory;
import okhttp3.OkHttpClient;

/**
 * The HTTP client under both InfluxDB client libraries (influxdb-java for 1.x, influxdb-client-java for 2.x and
 * QuestDB). OkHttp leaves Nagle's algorithm on, and a write body larger than one TCP segment then waits for the
 * database's delayed ACK: every batched write took ~48 ms instead of ~2 ms, which was most of the
 * source-to-WebSocket latency (docs/performance.md). TLS connections are layered on these sockets, so https://
 * URLs get the same.
 */
public final class TsdbHttpClients {

    private TsdbHttpClients() {
    }

    public static OkHttpClient.Builder builder() {
        return new OkHttpClient.Builder().socketFactory(new NoDelaySocketFactory());
    }
}
