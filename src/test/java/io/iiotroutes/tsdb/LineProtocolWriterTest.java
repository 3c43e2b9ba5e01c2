package io.iiotroutes.tsdb;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP side of the line-protocol writer: the request it sends, and what each answer means (refused or retry). */
class LineProtocolWriterTest {

    private record Received(String uri, String authorization, String contentType, String body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private volatile int status = 204;
    private volatile String answer = "";
    private HttpServer server;
    private String baseUrl;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestURI().toString(), exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, status == 204 ? -1 : body.length);
            if (status != 204) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private LineProtocolWriter v2(String token) {
        return new LineProtocolWriter(new OkHttpClient(), LineProtocolWriter.v2Url(baseUrl, "my org", "iiot"),
                token == null ? null : InfluxQlHistory.token(token), new WriteMetrics(registry));
    }

    @Test
    void postsTheLinesToTheV2EndpointWithTheToken() throws Exception {
        v2("secret").write(new Lines("a v=1i 1\nb v=2i 2", 2));

        Received request = received.get(0);
        assertEquals("/api/v2/write?org=my%20org&bucket=iiot&precision=ms", request.uri());
        assertEquals("Token secret", request.authorization());
        assertEquals("text/plain; charset=utf-8", request.contentType());
        assertEquals("a v=1i 1\nb v=2i 2", request.body());
        assertEquals(1, registry.get("iiot.tsdb.write").timer().count());
        assertEquals(2.0, registry.get("iiot.tsdb.write.points").summary().totalAmount());
    }

    @Test
    void postsToTheV1EndpointWithBasicAuthenticationAndTheRetentionPolicy() throws Exception {
        new LineProtocolWriter(new OkHttpClient(), LineProtocolWriter.v1Url(baseUrl.replaceAll("/$", ""), "iiot", "week"),
                InfluxQlHistory.basic("writer", "pw"), WriteMetrics.unobserved()).write(new Lines("a v=1i 1", 1));
        new LineProtocolWriter(new OkHttpClient(), LineProtocolWriter.v1Url(baseUrl, "iiot", ""), null,
                WriteMetrics.unobserved()).write(new Lines("a v=1i 1", 1));

        assertEquals("/write?db=iiot&rp=week&precision=ms", received.get(0).uri());
        assertEquals(InfluxQlHistory.basic("writer", "pw"), received.get(0).authorization());
        assertEquals("/write?db=iiot&precision=ms", received.get(1).uri());
        assertEquals(null, received.get(1).authorization());
    }

    @Test
    void nothingIsSentForNoPoints() throws Exception {
        v2(null).write(new Lines("", 0));

        assertTrue(received.isEmpty());
    }

    @Test
    void badDataIsRefusedForGoodWithTheDatabasesReason() {
        for (int code : new int[]{400, 413, 422}) {
            status = code;
            answer = "{\"code\":\"invalid\",\"message\":\"partial write: field type conflict\"}";
            Exception e = assertThrows(Exception.class, () -> v2(null).write(new Lines("a v=1i 1", 1)));

            assertInstanceOf(TsdbRefusedException.class, e, "HTTP " + code);
            assertTrue(e.getMessage().contains("TSDB answered " + code) && e.getMessage().contains("field type conflict"),
                    e.getMessage());
            assertTrue(TsdbRefusals.isRefusal(e));
        }
        assertEquals(3.0, registry.get("iiot.tsdb.write.failures").counter().count());
    }

    @Test
    void anythingElseIsUnavailableAndRetried() {
        for (int code : new int[]{401, 403, 404, 429, 500, 503}) {
            status = code;
            answer = "x".repeat(10_000);
            Exception e = assertThrows(Exception.class, () -> v2(null).write(new Lines("a v=1i 1", 1)));

            assertInstanceOf(TsdbUnavailableException.class, e, "HTTP " + code);
            assertTrue(e.getMessage().length() < 700, "the error text is bounded: " + e.getMessage().length());
        }
        server.stop(0);
        Exception e = assertThrows(Exception.class, () -> v2(null).write(new Lines("a v=1i 1", 1)));
        assertInstanceOf(TsdbUnavailableException.class, e);
        assertInstanceOf(IOException.class, e.getCause());
    }
}
