package io.iiotroutes.app.config;

import io.iiotroutes.ops.RemoteJmx;
import io.iiotroutes.ops.SafeRouteReload;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CliConnectorFactory;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Metrics, remote JMX, the Camel CLI connector and the live reload of route files, in every mode: the Prometheus registry the routes and
 * beans register their meters in ({@value #METER_REGISTRY}), opt-in authenticated remote JMX
 * ({@code iiot.jmx.remote.*}), {@link SafeRouteReload} of the mode's route folder ({@code iiot.routes.reload}),
 * and the hot path's sub-routes left out of Camel's per-route meters ({@code iiot.metrics.unmetered-routes}).
 */
public final class ObservabilityConfiguration implements IiotConfiguration {

    public static final String METER_REGISTRY = "meterRegistry";

    private final boolean server;
    private RemoteJmx remoteJmx;

    /** @param server whether the mode runs the server (its routes come from iiot.routes.dir, else iiot.edge.routes-dir) */
    public ObservabilityConfiguration(boolean server) {
        this.server = server;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.of(context);
        // before the route files are read (YAML beans that register meters are created while a file is parsed) and
        // before camel-main sets up Camel's own metrics (camel.metrics.*), which take this registry as theirs
        context.getRegistry().bind(METER_REGISTRY, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        startRemoteJmx(context, settings);
        // the Camel CLI connector (camel-cli-connector, in the packaged application only): bin/camel get/top/log/trace
        CliConnectorFactory cli = context.getCamelContextExtension().getContextPlugin(CliConnectorFactory.class);
        if (cli != null) {
            cli.setEnabled(settings.flag("iiot.cli.connector"));
        }
        if (settings.flag("iiot.routes.reload")) {
            Path folder = Path.of(settings.string(server ? "iiot.routes.dir" : "iiot.edge.routes-dir"));
            try {
                context.addService(new SafeRouteReload(folder, SafeRouteReload.PATTERN));
            } catch (Exception e) {
                throw new IllegalStateException("cannot watch the route folder " + folder + ": " + e.getMessage(), e);
            }
        }
    }

    /** Opt-in remote JMX, always with a username and password (the password from the environment). */
    private void startRemoteJmx(CamelContext context, Settings settings) {
        if (!settings.flag("iiot.jmx.remote.enabled")) {
            return;
        }
        String password = settings.optional("iiot.jmx.remote.password").orElseThrow(() -> new IllegalArgumentException(
                "iiot.jmx.remote.enabled is true but no password is set: set the environment variable "
                        + Settings.environmentName("iiot.jmx.remote.password")));
        remoteJmx = new RemoteJmx(settings.string("iiot.jmx.remote.host"), settings.integer("iiot.jmx.remote.port"),
                settings.string("iiot.jmx.remote.username"), password);
        try {
            remoteJmx.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start remote JMX on " + settings.string("iiot.jmx.remote.host")
                    + ":" + settings.string("iiot.jmx.remote.port") + ": " + e.getMessage(), e);
        }
        StopWithContext.register(context, "remote JMX", remoteJmx::close);
    }

    /**
     * Leaves the routes in iiot.metrics.unmetered-routes out of Camel's per-route meters: the hot path's
     * sub-routes each cost a timer and String.format calls per message (~8 % of the server's CPU at 40,000
     * points/s), and their figures add nothing to server-ingest-receive's. Runs before the routes start, when the
     * route policy decides what to meter.
     */
    @Override
    public void contextStarted(CamelContext context) {
        Settings.of(context).optional("iiot.metrics.unmetered-routes").ifPresent(ids ->
                context.getRoutePolicyFactories().stream()
                        .filter(MicrometerRoutePolicyFactory.class::isInstance)
                        .map(MicrometerRoutePolicyFactory.class::cast)
                        .forEach(factory -> factory.getPolicyConfiguration().setExcludePattern(ids.replace(" ", ""))));
    }

    /** Where remote JMX listens, for the banner; empty when it is off. */
    public Optional<String> remoteJmxUrl() {
        if (remoteJmx == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(remoteJmx.serviceUrl().toString());
        } catch (IOException e) {
            return Optional.of("?");
        }
    }

    public static MeterRegistry meterRegistry(CamelContext context) {
        return context.getRegistry().lookupByNameAndType(METER_REGISTRY, MeterRegistry.class);
    }
}
