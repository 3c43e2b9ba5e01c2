package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web port with authentication on: without the operator token (or the session it buys) the REST API, the live
 * WebSocket and the metrics are refused; with it they answer; the page asks for the token and then shows live data.
 */
class WebAuthIT {

    private static final String TOKEN = "it-operator-token-0123456789";

    @TempDir
    static Path dir;
    private static IiotApplication app;
    private static int webPort;
    private static int brokerPort;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        TestServer server = TestServer.of(Mode.SERVER, dir.resolve("server")).anonymousPublishers()
                .with("iiot.web.auth", "token")
                .with("iiot.web.token", TOKEN);
        brokerPort = server.brokerPort();
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

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + path));
    }

    private static WebSocket.Builder socket() {
        return HTTP.newWebSocketBuilder();
    }

    private static URI ws() {
        return URI.create("ws://127.0.0.1:" + webPort + "/ws");
    }

    @Test
    void withoutTheTokenTheDataIsRefused() throws Exception {
        for (String path : new String[]{"/api/nodes", "/api/channels", "/api/alarms", "/api/pipeline", "/observe/metrics",
                "/api/history/demo/node-1/ai1"}) {
            HttpResponse<String> response = send(get(path));
            assertEquals(401, response.statusCode(), path);
            assertTrue(response.body().contains("authentication required"), path + ": " + response.body());
        }
        assertEquals(401, send(get("/api/alarms/1/ack").POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        assertEquals(401, send(get("/api/nodes").header("Authorization", "Bearer wrong-token-0123456789")).statusCode());
        assertEquals(401, send(get("/api/nodes").header("Cookie", "iiot_session=made-up")).statusCode());
        CompletionException refused = assertThrows(CompletionException.class,
                () -> socket().buildAsync(ws(), new WebSocket.Listener() { }).join());
        assertEquals(401, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode());
        HttpResponse<String> wrongLogin = send(get("/api/login").POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"guess\"}")));
        assertEquals(401, wrongLogin.statusCode());

        // what holds no data stays open: the page (it asks for the token) and the health check
        assertEquals(200, send(get("/")).statusCode());
        assertEquals(200, send(get("/observe/health")).statusCode());
    }

    @Test
    void theTokenOrItsSessionOpensTheApiAndTheLiveStream() throws Exception {
        assertEquals(200, send(get("/api/nodes").header("Authorization", "Bearer " + TOKEN)).statusCode());

        HttpResponse<String> login = send(get("/api/login").POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + TOKEN + "\"}")));
        assertEquals(204, login.statusCode());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.toLowerCase().contains("httponly") && setCookie.contains("SameSite=Strict"), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertEquals(200, send(get("/api/nodes").header("Cookie", cookie)).statusCode());

        List<CharSequence> frames = new CopyOnWriteArrayList<>();
        WebSocket live = socket().header("Cookie", cookie).buildAsync(ws(), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                frames.add(data);
                webSocket.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        try (StreamPublisher node = new StreamPublisher("tcp://127.0.0.1:" + brokerPort, "it", "auth-1")) {
            node.start(5, 50);
            assertEquals(5, node.awaitDone(30));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> frames.stream().anyMatch(f -> f.toString().contains("auth-1")));
        live.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);

        assertEquals(204, send(get("/api/logout").header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        assertEquals(401, send(get("/api/nodes").header("Cookie", cookie)).statusCode(), "the session ended at logout");
    }

    @Test
    void thePageAsksForTheTokenThenShowsLiveData() throws Exception {
        try (StreamPublisher node = new StreamPublisher("tcp://127.0.0.1:" + brokerPort, "it", "page-1");
             Browser browser = new Browser()) {
            node.start(600, 100);
            WebDriver page = browser.driver();
            page.get("http://127.0.0.1:" + webPort + "/");
            await().atMost(Duration.ofSeconds(20)).until(() -> page.findElement(By.id("login")).isDisplayed());
            browser.screenshot("web-sign-in");

            page.findElement(By.id("login-token")).sendKeys("not-the-token-at-all");
            page.findElement(By.id("login-submit")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> page.findElement(By.id("login-error")).getText().contains("Wrong token"));

            page.findElement(By.id("login-token")).clear();
            page.findElement(By.id("login-token")).sendKeys(TOKEN);
            page.findElement(By.id("login-submit")).click();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    !page.findElements(By.cssSelector("[data-node='page-1']")).isEmpty()
                            && "live".equals(page.findElement(By.id("connection")).getText()));
            assertTrue(!page.findElement(By.id("login")).isDisplayed());
        }
    }

    @Test
    void aServerReachableFromOtherHostsWillNotStartWithoutAToken() {
        // the check runs before any server is started: nothing binds the wildcard address here
        IiotApplication exposed = new IiotApplication(Mode.SERVER, Map.of(
                "iiot.data.dir", dir.resolve("exposed").toString(),
                "iiot.web.host", "0.0.0.0",
                "iiot.web.port", Integer.toString(TestPorts.free())));
        Exception e = assertThrows(Exception.class, exposed::start);
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("no web token is set: set the environment variable IIOT_WEB_TOKEN"), cause.getMessage());
    }
}
