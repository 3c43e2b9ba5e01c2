package io.iiotroutes.ops;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * First handler of every HTTP request to the web port: security headers on every answer, and cross-origin use
 * refused unless the origin is allowed. A page from another site can neither open the live WebSocket (checked on
 * the handshake's Origin: browsers do not apply CORS to WebSockets) nor pass a CORS preflight to the REST API.
 */
public final class WebHardening implements Handler<RoutingContext> {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; "
            + "img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'self'";

    private final Set<String> allowedOrigins;

    /** allowedOrigins: origins (scheme://host[:port]) besides the server's own that may use the API and WebSocket. */
    public WebHardening(Set<String> allowedOrigins) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String origin = ctx.request().getHeader("Origin");
        boolean crossOrigin = origin != null && !sameOrigin(origin, ctx.request().getHeader("Host"));
        boolean allowed = !crossOrigin || allowedOrigins.contains(origin);
        MultiMap headers = ctx.response().headers();
        headers.set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY")
                .set("Referrer-Policy", "no-referrer")
                .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .set("Cross-Origin-Opener-Policy", "same-origin")
                .set("Cross-Origin-Resource-Policy", "same-origin");
        if (path.startsWith("/api/") || path.startsWith("/observe/")) {
            headers.set("Cache-Control", "no-store");
        }
        if (crossOrigin && allowed) {
            headers.set("Access-Control-Allow-Origin", origin).add("Vary", "Origin");
        }
        boolean handshakeOrPreflight = path.equals("/ws") || "OPTIONS".equals(ctx.request().method().name());
        if (!allowed && handshakeOrPreflight) {
            ctx.response().setStatusCode(403).putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"cross-origin request refused\",\"status\":403}");
            return;
        }
        if (crossOrigin && "OPTIONS".equals(ctx.request().method().name())) {
            ctx.response().setStatusCode(204)
                    .putHeader("Access-Control-Allow-Methods", "GET, POST")
                    .putHeader("Access-Control-Allow-Headers", "Content-Type, Authorization")
                    .putHeader("Access-Control-Max-Age", "600").end();
            return;
        }
        ctx.next();
    }

    /** Whether an Origin header names the host the request was sent to (any scheme: TLS may end at a proxy). */
    static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null) {
                return false; // "null" (sandboxed frames, files) or garbage: never the same origin
            }
            String originHost = uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
            String requestHost = host.toLowerCase(Locale.ROOT);
            return originHost.equals(requestHost) || (uri.getPort() == -1
                    && (requestHost.equals(originHost + ":80") || requestHost.equals(originHost + ":443")));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
