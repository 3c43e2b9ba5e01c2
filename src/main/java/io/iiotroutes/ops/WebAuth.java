package io.iiotroutes.ops;

import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access to the plant's data on the web port: the REST API, the live WebSocket and the metrics answer only to a
 * request that carries the operator token ({@code Authorization: Bearer <token>}, for tools) or the session cookie
 * the page gets by logging in with it ({@code POST /api/login}, for browsers: HttpOnly, SameSite=Strict, so other
 * sites' pages cannot use it). The page itself and {@code /observe/health} stay open: they hold no data.
 * Tokens are compared in constant time; neither tokens nor sessions are ever logged.
 */
public final class WebAuth implements Handler<RoutingContext> {

    static final String COOKIE = "iiot_session";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] token;
    private final Duration sessionLifetime;
    private final Clock clock;
    private final Map<String, Long> sessions = new ConcurrentHashMap<>();

    public WebAuth(String token, Duration sessionLifetime) {
        this(token, sessionLifetime, Clock.systemUTC());
    }

    WebAuth(String token, Duration sessionLifetime, Clock clock) {
        if (token == null || token.length() < 16) {
            throw new IllegalArgumentException("the web token must have at least 16 characters");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.sessionLifetime = sessionLifetime;
        this.clock = clock;
    }

    /** A random token for a run that was given none (demo): 32 bytes, URL-safe. */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static boolean isProtected(String path) {
        return path.startsWith("/api/") || path.equals("/ws") || path.startsWith("/observe/metrics");
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String method = ctx.request().method().name();
        if (path.equals("/api/login") && method.equals("POST")) {
            ctx.request().body().onSuccess(body -> login(ctx, body.toString(StandardCharsets.UTF_8)))
                    .onFailure(e -> refuse(ctx, 400, "unreadable request"));
            return;
        }
        if (path.equals("/api/logout") && method.equals("POST")) {
            Cookie cookie = ctx.request().getCookie(COOKIE);
            if (cookie != null) {
                sessions.remove(cookie.getValue());
            }
            ctx.response().addCookie(sessionCookie("", 0)).setStatusCode(204).end();
            return;
        }
        if (!isProtected(path) || authorized(ctx)) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"iiot-routes\"");
        refuse(ctx, 401, "authentication required: log in on the page, or send Authorization: Bearer <token>");
    }

    boolean authorized(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return matches(header.substring(7).trim());
        }
        Cookie cookie = ctx.request().getCookie(COOKIE);
        return cookie != null && validSession(cookie.getValue());
    }

    boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    boolean validSession(String id) {
        Long expires = sessions.get(id);
        if (expires == null) {
            return false;
        }
        if (expires < clock.millis()) {
            sessions.remove(id);
            return false;
        }
        return true;
    }

    String newSession() {
        sessions.values().removeIf(expires -> expires < clock.millis());
        String id = randomToken();
        sessions.put(id, clock.millis() + sessionLifetime.toMillis());
        return id;
    }

    private void login(RoutingContext ctx, String body) {
        String candidate;
        try {
            candidate = new JsonObject(body).getString("token");
        } catch (RuntimeException e) {
            refuse(ctx, 400, "expected {\"token\": \"...\"}");
            return;
        }
        if (!matches(candidate)) {
            refuse(ctx, 401, "wrong token");
            return;
        }
        ctx.response().addCookie(sessionCookie(newSession(), sessionLifetime.toSeconds())).setStatusCode(204).end();
    }

    private Cookie sessionCookie(String value, long maxAgeSeconds) {
        return Cookie.cookie(COOKIE, value).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/")
                .setMaxAge(maxAgeSeconds);
    }

    private static void refuse(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", message).put("status", status).encode());
    }
}
