package io.iiotroutes.app.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Observability's settings ({@code iiot.jmx.remote.*}, {@code iiot.cli.connector}, {@code iiot.routes.*},
 * {@code iiot.metrics.unmetered-routes}; meanings in docs/configuration.md), read once per start.
 *
 * @param routesDir       the route folder watched for live reload: the server's, or the edge's in edge mode
 * @param observeHost     where /observe/health and /observe/metrics are served: the web port in server and demo
 *                        mode, {@code iiot.edge.observe-host} / {@code -port} in edge mode
 * @param unmeteredRoutes route ids or patterns left out of Camel's per-route meters
 */
public record ObservabilitySettings(boolean remoteJmx, String jmxHost, int jmxPort, String jmxUsername,
                                    Optional<String> jmxPassword, boolean cliConnector, boolean reload, Path routesDir,
                                    String observeHost, int observePort, Optional<String> unmeteredRoutes) {

    /** @param server whether the mode runs the server */
    public static ObservabilitySettings from(Settings settings, boolean server) {
        return new ObservabilitySettings(settings.flag("iiot.jmx.remote.enabled"), settings.string("iiot.jmx.remote.host"),
                settings.integer("iiot.jmx.remote.port"), settings.string("iiot.jmx.remote.username"),
                settings.optional("iiot.jmx.remote.password"), settings.flag("iiot.cli.connector"),
                settings.flag("iiot.routes.reload"),
                Path.of(settings.string(server ? "iiot.routes.dir" : "iiot.edge.routes-dir")),
                settings.string(server ? "iiot.web.host" : "iiot.edge.observe-host"),
                settings.integer(server ? "iiot.web.port" : "iiot.edge.observe-port"),
                settings.optional("iiot.metrics.unmetered-routes"));
    }

    @Override
    public String toString() {
        return "ObservabilitySettings[remoteJmx=" + remoteJmx + ", jmx=" + jmxHost + ":" + jmxPort + ", reload=" + reload
                + ", routesDir=" + routesDir + ", observe=" + observeHost + ":" + observePort + "]";
    }
}
