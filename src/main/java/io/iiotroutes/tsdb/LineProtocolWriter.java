package io.iiotroutes.tsdb;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.util.Objects;

/**
 * Writes {@link Lines} to the TSDB's line-protocol HTTP endpoint, synchronously: {@link #write} returns once the
 * database answered 2xx, i.e. committed the points. The server's batched readings take this path
 * ({@code tsdbBatcher}); one request costs an HTTP exchange and nothing else (no client-side point objects,
 * Retrofit or batching layer: docs/performance.md).
 * <ul>
 *     <li>InfluxDB 2.x/3.x and QuestDB: {@code POST /api/v2/write?org=&bucket=&precision=ms}, token authentication;</li>
 *     <li>InfluxDB 1.x ({@code iiot.tsdb.api=v1}): {@code POST /write?db=&rp=&precision=ms}, basic authentication.</li>
 * </ul>
 * An answer of 400 (unparsable line, field type conflict, point outside the retention policy), 413 or 422 means the
 * database refuses these points for good: {@link TsdbRefusedException} (dead-lettered). Anything else (no answer,
 * timeout, 5xx, 401/403, 404 for a missing database) is {@link TsdbUnavailableException}: retried.
 */
public final class LineProtocolWriter implements AutoCloseable {

    private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");
    private static final int MOST_ERROR_CHARS = 500;

    private final OkHttpClient http;
    private final HttpUrl url;
    private final String authorization;
    private final WriteMetrics metrics;

    /**
     * @param url           the write endpoint with its query ({@link #v2Url} or {@link #v1Url})
     * @param authorization the Authorization header's value, or null
     */
    public LineProtocolWriter(OkHttpClient http, HttpUrl url, String authorization, WriteMetrics metrics) {
        this.http = Objects.requireNonNull(http, "http");
        this.url = Objects.requireNonNull(url, "url");
        this.authorization = authorization;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** InfluxDB 2.x/3.x and QuestDB: {@code /api/v2/write}. */
    public static HttpUrl v2Url(String baseUrl, String org, String bucket) {
        return base(baseUrl).addPathSegments("api/v2/write").addQueryParameter("org", org)
                .addQueryParameter("bucket", bucket).addQueryParameter("precision", "ms").build();
    }

    /** InfluxDB 1.x: {@code /write}; {@code retentionPolicy} null for the database's default. */
    public static HttpUrl v1Url(String baseUrl, String database, String retentionPolicy) {
        HttpUrl.Builder url = base(baseUrl).addPathSegment("write").addQueryParameter("db", database);
        if (retentionPolicy != null && !retentionPolicy.isBlank()) {
            url.addQueryParameter("rp", retentionPolicy);
        }
        return url.addQueryParameter("precision", "ms").build();
    }

    private static HttpUrl.Builder base(String baseUrl) {
        HttpUrl parsed = HttpUrl.parse(baseUrl);
        if (parsed == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
        }
        HttpUrl.Builder builder = parsed.newBuilder();
        // "http://host:8086/" and "http://host:8086" alike: drop a trailing empty segment before adding ours
        if (parsed.pathSegments().size() > 0 && parsed.pathSegments().get(parsed.pathSegments().size() - 1).isEmpty()) {
            builder.removePathSegment(parsed.pathSegments().size() - 1);
        }
        return builder;
    }

    /** Writes the lines; returns once the TSDB committed them. Nothing is sent for no points. */
    public void write(Lines lines) throws Exception {
        if (lines.points() == 0) {
            return;
        }
        metrics.record(lines.points(), () -> {
            send(lines);
            return null;
        });
    }

    private void send(Lines lines) {
        Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(lines.text(), TEXT));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            if (response.isSuccessful()) {
                return;
            }
            int code = response.code();
            String message = "TSDB answered " + code + " to a write of " + lines.points() + " points: " + errorText(response);
            if (code == 400 || code == 413 || code == 422) {
                throw new TsdbRefusedException(message, null);
            }
            throw new TsdbUnavailableException(message);
        } catch (IOException e) {
            TsdbUnavailableException unavailable = new TsdbUnavailableException("TSDB write failed: " + e);
            unavailable.initCause(e);
            throw unavailable;
        }
    }

    /** The start of the database's error text: bounded, whatever it sends. */
    private static String errorText(Response response) throws IOException {
        String text = response.peekBody(4L * MOST_ERROR_CHARS).string().strip();
        return text.length() > MOST_ERROR_CHARS ? text.substring(0, MOST_ERROR_CHARS) + "…" : text;
    }

    /** Closes the pooled connections; a write after this opens a new one. */
    @Override
    public void close() {
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "LineProtocolWriter[" + url.newBuilder().query(null) + "]";
    }
}
