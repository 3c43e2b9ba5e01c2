package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import org.apache.camel.api.management.ManagedCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web port against hostile requests: security headers everywhere, other sites' pages refused (CORS preflight,
 * WebSocket handshake), path traversal serving nothing, and an oversized request body refused without harming the
 * server.
 */
class WebHardeningIT {

    @TempDir
    static Path dir;
    private static IiotApplication app;
    private static int webPort;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        TestServer server = TestServer.of(Mode.SERVER, dir.resolve("server"))
                .with("iiot.web.allowed-origins", "https://scada.example:8443");
        webPort = server.webPort();
        app = server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        app.stop();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + webPort + path);
    }

    @Test
    void everyAnswerCarriesSecurityHeaders() throws Exception {
        for (String path : new String[]{"/", "/api/nodes", "/no-such-page", "/observe/health"}) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)));
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null), path);
            assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(null), path);
            assertTrue(response.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"), path);
        }
        assertEquals("no-store", send(HttpRequest.newBuilder(uri("/api/nodes"))).headers().firstValue("Cache-Control").orElse(null));
    }

    @Test
    void otherSitesCannotUseTheApiOrTheLiveStream() throws Exception {
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri("/api/alarms/x/ack"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST"));
        assertEquals(403, preflight.statusCode());
        assertNull(preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        HttpResponse<String> read = send(HttpRequest.newBuilder(uri("/api/nodes")).header("Origin", "https://evil.example"));
        assertFalse(read.headers().firstValue("Access-Control-Allow-Origin").isPresent(), "no CORS grant: the browser hides the answer");

        CompletionException refused = assertThrows(CompletionException.class, () -> HTTP.newWebSocketBuilder()
                .header("Origin", "https://evil.example")
                .buildAsync(URI.create("ws://127.0.0.1:" + webPort + "/ws"), new WebSocket.Listener() { }).join());
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(403, handshake.getResponse().statusCode());

        // an allowed origin and the page's own origin may
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(uri("/api/nodes")).header("Origin", "https://scada.example:8443"));
        assertEquals("https://scada.example:8443", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        WebSocket own = HTTP.newWebSocketBuilder().header("Origin", "http://127.0.0.1:" + webPort)
                .buildAsync(URI.create("ws://127.0.0.1:" + webPort + "/ws"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
        own.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void pathTraversalServesNothingOutsideTheStaticFolder() throws Exception {
        // raw requests: an HTTP client would normalise the path before sending it
        for (String target : new String[]{"/../pom.xml", "/%2e%2e/pom.xml", "/..%2fpom.xml", "/vendor/../../pom.xml",
                "/%2e%2e/%2e%2e/etc/passwd", "/..\\pom.xml", "/iiot-common.properties", "/routes/api.camel.yaml",
                "/io/iiotroutes/app/IiotRoutes.class"}) {
            String answer = rawGet(target);
            String status = answer.lines().findFirst().orElse("");
            assertFalse(status.contains(" 200 "), target + " -> " + status);
            assertFalse(answer.contains("<artifactId>") || answer.contains("root:x:0:0") || answer.contains("iiot.web.port")
                    || answer.contains("server-api-nodes"), target + " leaked a file");
        }
        assertTrue(rawGet("/").lines().findFirst().orElse("").contains(" 200 "), "the page itself is served");
    }

    private static String rawGet(String target) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", webPort)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + webPort + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void anOversizedRequestBodyIsRefusedAndTheServerCarriesOn() throws Exception {
        HttpResponse<String> big = send(HttpRequest.newBuilder(uri("/api/alarms/x/ack"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"by\":\"" + "x".repeat(200_000) + "\"}"))
                .header("Content-Type", "application/json"));
        assertEquals(413, big.statusCode());

        assertEquals(200, send(HttpRequest.newBuilder(uri("/api/nodes"))).statusCode(), "still serving");
    }

    private static long socketExchanges() {
        return app.context().getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute("server-live-socket").getExchangesCompleted();
    }

    @Test
    void anOversizedWebSocketMessageIsDroppedAndTheConnectionCarriesOn() throws Exception {
        long before = socketExchanges();
        WebSocket socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + webPort + "/ws"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> socketExchanges() > before); // the open event
        long opened = socketExchanges();

        // over Vert.x's 256 KiB message limit: never aggregated in memory, never handed to the route
        socket.sendText("x".repeat(1_000_000), true).get(10, TimeUnit.SECONDS);
        socket.sendText("small", true).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> socketExchanges() > opened);
        assertEquals(opened + 1, socketExchanges(), "only the small message reached the route");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }
}
