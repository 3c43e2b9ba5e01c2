package io.iiotroutes.app.config;

import io.iiotroutes.ops.RemoteJmx;
import io.iiotroutes.ops.SafeRouteReload;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CliConnectorFactory;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Metrics, remote JMX, the Camel CLI connector and the live reload of route files, in every mode: the Prometheus
 * registry the routes and beans register their meters in ({@value #METER_REGISTRY}), opt-in authenticated remote JMX
 * ({@code iiot.jmx.remote.*}), {@link SafeRouteReload} of the mode's route folder ({@code iiot.routes.reload}),
 * and the hot path's sub-routes left out of Camel's per-route meters ({@code iiot.metrics.unmetered-routes}).
 */
public final class ObservabilityConfiguration implements IiotConfiguration {

    public static final String METER_REGISTRY = "meterRegistry";

    private final IiotSettings settings;
    private final PrometheusMeterRegistry meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private RemoteJmx remoteJmx;

    public ObservabilityConfiguration(IiotSettings settings) {
        this.settings = settings;
    }

    /**
     * The one registry of the process's meters, scraped at /observe/metrics. Bound before the route files are read
     * (YAML beans that register meters are created while a file is parsed) and before camel-main sets up Camel's own
     * metrics (camel.metrics.*), which take this registry as theirs.
     */
    @BindToRegistry(METER_REGISTRY)
    public PrometheusMeterRegistry meterRegistry() {
        return meterRegistry;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        ObservabilitySettings observe = settings.observability();
        startRemoteJmx(context, observe);
        // the Camel CLI connector (camel-cli-connector, in the packaged application only): bin/camel get/top/log/trace
        CliConnectorFactory cli = context.getCamelContextExtension().getContextPlugin(CliConnectorFactory.class);
        if (cli != null) {
            cli.setEnabled(observe.cliConnector());
        }
        if (observe.reload()) {
            Path folder = observe.routesDir();
            try {
                context.addService(new SafeRouteReload(folder, SafeRouteReload.PATTERN));
            } catch (Exception e) {
                throw new IllegalStateException("cannot watch the route folder " + folder + ": " + e.getMessage(), e);
            }
        }
    }

    /** Opt-in remote JMX, always with a username and password (the password from the environment). */
    private void startRemoteJmx(CamelContext context, ObservabilitySettings observe) {
        if (!observe.remoteJmx()) {
            return;
        }
        String password = observe.jmxPassword().orElseThrow(() -> new IllegalArgumentException(
                "iiot.jmx.remote.enabled is true but no password is set: set the environment variable "
                        + Settings.environmentName("iiot.jmx.remote.password")));
        remoteJmx = new RemoteJmx(observe.jmxHost(), observe.jmxPort(), observe.jmxUsername(), password);
        try {
            remoteJmx.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start remote JMX on " + observe.jmxHost()
                    + ":" + observe.jmxPort() + ": " + e.getMessage(), e);
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
        settings.observability().unmeteredRoutes().ifPresent(ids ->
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

    /** Where /observe/health and /observe/metrics are served, for the banner. */
    String observeUrl() {
        ObservabilitySettings observe = settings.observability();
        return "http://" + BannerConfiguration.displayHost(observe.observeHost()) + ":" + observe.observePort();
    }
}
