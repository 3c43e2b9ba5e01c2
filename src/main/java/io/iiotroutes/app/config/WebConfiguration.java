package io.iiotroutes.app.config;

import io.iiotroutes.ops.WebAuth;
import io.iiotroutes.ops.WebHardening;
import io.vertx.core.Vertx;
import io.vertx.ext.web.handler.StaticHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The web port (page, REST API, WebSocket): one shared Vert.x instance ({@value #VERTX}), security headers and
 * cross-origin refusal ({@link WebHardening}) and, when the port is reachable from other hosts, the operator token
 * ({@link WebAuth}) before any other handler; the page's static folder after every route.
 */
public final class WebConfiguration implements IiotConfiguration {

    public static final String VERTX = "vertx";

    private final IiotSettings settings;
    private final boolean demo;
    private String webToken;
    private Path webTokenFile;

    /** @param demo a demo without a token generates one for the run; a server refuses to start */
    public WebConfiguration(IiotSettings settings, boolean demo) {
        this.settings = settings;
        this.demo = demo;
    }

    @Override
    public void configure(CamelContext context) {
        webToken = resolveWebToken(settings.web(), settings.dataDir());
        Vertx vertx = Vertx.vertx();
        context.getRegistry().bind(VERTX, vertx);
        StopWithContext.register(context, "Vert.x",
                () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    }

    /** The HTTP server runs, the routes do not yet: guard the web port before anything is served. */
    @Override
    public void contextStarted(CamelContext context) {
        WebSettings web = settings.web();
        MainHttpServer server = httpServer(context);
        server.getRouter().route().order(Integer.MIN_VALUE).handler(new WebHardening(web.allowedOrigins()));
        if (webToken != null) {
            server.getRouter().route().order(Integer.MIN_VALUE + 1).handler(new WebAuth(webToken, web.session()));
        }
    }

    @Override
    public void fullyStarted(CamelContext context) {
        MainHttpServer server = httpServer(context);
        // an unknown /api path answers in JSON like the rest of the API, not with the static 404 page
        server.getRouter().route("/api/*")
                .order(Integer.MAX_VALUE - 1)
                .handler(ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                        .end("{\"error\":\"no such API resource: " + ctx.normalizedPath().replaceAll("[^A-Za-z0-9/_.-]", "?")
                                + "\",\"status\":404}"));
        // A dedicated folder on the classpath, never the working directory: camel.server.staticEnabled would
        // serve pom.xml and the properties files, and corrupts binary files.
        server.getRouter().route("/*")
                .order(Integer.MAX_VALUE)
                .handler(StaticHandler.create(settings.web().staticFolder()).setIndexPage("index.html"));
    }

    private static MainHttpServer httpServer(CamelContext context) {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null) {
            throw new IllegalStateException("camel.server.enabled must be true in server and demo modes");
        }
        return server;
    }

    /**
     * Whether the web port asks for a token: iiot.web.auth=token always, none never, auto (default) when the port is
     * reachable from other hosts (iiot.web.host not a loopback address). The token comes from the environment
     * (IIOT_WEB_TOKEN); a demo without one gets a random one for the run, written to {data}/web-token.
     */
    private String resolveWebToken(WebSettings web, Path dataDir) {
        boolean on = switch (web.auth()) {
            case "token" -> true;
            case "none" -> false;
            case "auto" -> !isLoopback(web.host());
            default -> throw new IllegalArgumentException("unknown iiot.web.auth '" + web.auth() + "': use auto, token or none");
        };
        if (!on) {
            return null;
        }
        Optional<String> configured = web.token();
        if (configured.isPresent()) {
            if (configured.get().length() < 16) {
                throw new IllegalArgumentException("the web token (IIOT_WEB_TOKEN) must have at least 16 characters");
            }
            return configured.get();
        }
        if (!demo) {
            throw new IllegalArgumentException("the web port " + web.host() + " is reachable from other hosts but no web token"
                    + " is set: set the environment variable IIOT_WEB_TOKEN (16+ characters), or iiot.web.auth=none");
        }
        String generated = WebAuth.randomToken();
        webTokenFile = SecretFile.write(dataDir.resolve("web-token"), generated);
        return generated;
    }

    static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /** How a user signs in, for the banner. */
    String login() {
        return webToken == null ? "none (iiot.web.host is a loopback address)"
                : webTokenFile != null ? "token generated for this run, in " + webTokenFile
                : "token from IIOT_WEB_TOKEN";
    }
}
