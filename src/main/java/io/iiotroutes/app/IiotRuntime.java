package io.iiotroutes.app;

import io.iiotroutes.app.config.BannerConfiguration;
import io.iiotroutes.app.config.BrokerConfiguration;
import io.iiotroutes.app.config.EdgeConfiguration;
import io.iiotroutes.app.config.IiotConfiguration;
import io.iiotroutes.app.config.IiotSettings;
import io.iiotroutes.app.config.MqttClientsConfiguration;
import io.iiotroutes.app.config.ObservabilityConfiguration;
import io.iiotroutes.app.config.ReplicasConfiguration;
import io.iiotroutes.app.config.ServerHealthConfiguration;
import io.iiotroutes.app.config.ServerStateConfiguration;
import io.iiotroutes.app.config.Settings;
import io.iiotroutes.app.config.SparkplugConfiguration;
import io.iiotroutes.app.config.TsdbConfiguration;
import io.iiotroutes.app.config.WebConfiguration;
import io.iiotroutes.broker.EmbeddedMqttBroker;
import io.iiotroutes.edge.EdgeNode;
import io.iiotroutes.edge.forward.StoreAndForwardPublisher;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.tsdb.EmbeddedQuestDb;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

import java.util.List;
import java.util.Optional;

/**
 * A mode's wiring: the list of configurations (one per concern, package {@code app.config}) it runs, called in list
 * order at each moment of camel-main's start ({@link IiotConfiguration}). What they start stops with the
 * CamelContext, after the routes, in reverse order.
 * <pre>
 * edge   : observability, mqtt clients, edge, banner
 * server : observability, web, broker, replicas, mqtt clients, tsdb, server state, server health, sparkplug, banner
 * demo   : observability, web, broker, replicas, mqtt clients, tsdb, server state, server health, sparkplug, edge, banner
 * </pre>
 */
public class IiotRuntime extends MainListenerSupport {

    private final IiotSettings settings;
    private final List<IiotConfiguration> configurations;

    public IiotRuntime(Mode mode) {
        settings = new IiotSettings(mode.runsServer());
        configurations = configurations(mode, settings);
    }

    /**
     * The configurations of a mode, in the order they run. Each is given the others it takes something from; one
     * that is not in the mode's list is never called (edge mode asks the broker configuration only for the MQTT
     * settings as configured).
     */
    static List<IiotConfiguration> configurations(Mode mode, IiotSettings settings) {
        ObservabilityConfiguration observability = new ObservabilityConfiguration(settings);
        WebConfiguration web = new WebConfiguration(settings, mode == Mode.DEMO);
        BrokerConfiguration broker = new BrokerConfiguration(settings, mode == Mode.DEMO);
        ReplicasConfiguration replicas = new ReplicasConfiguration(settings);
        MqttClientsConfiguration mqtt = new MqttClientsConfiguration(settings, broker, mode.runsServer());
        TsdbConfiguration tsdb = new TsdbConfiguration(settings, observability);
        ServerStateConfiguration state = new ServerStateConfiguration(settings, observability.meterRegistry(), tsdb::history);
        ServerHealthConfiguration health = new ServerHealthConfiguration(settings, broker, mqtt, tsdb);
        SparkplugConfiguration sparkplug = new SparkplugConfiguration(settings, broker, mqtt, observability.meterRegistry());
        EdgeConfiguration edge = new EdgeConfiguration(settings, broker, mqtt, observability.meterRegistry());
        BannerConfiguration banner = new BannerConfiguration(mode.id(), mode.runsServer(), mode.runsEdge(), settings,
                broker, tsdb, web, observability, edge);
        return switch (mode) {
            case EDGE -> List.of(observability, mqtt, edge, banner);
            case SERVER -> List.of(observability, web, broker, replicas, mqtt, tsdb, state, health, sparkplug, banner);
            case DEMO -> List.of(observability, web, broker, replicas, mqtt, tsdb, state, health, sparkplug, edge, banner);
        };
    }

    /**
     * The demo for a Camel CLI run ({@code camel run ... --prop camel.main.configurationClasses=...}): camel run
     * binds configuration classes given by name after its main listeners were asked to prepare, but before it
     * configures the components from the properties, so the runtime prepares here and completes once the routes
     * are running. Same configurations as {@code java -jar ... demo}.
     */
    public static class Demo extends IiotRuntime implements CamelConfiguration {
        public Demo() {
            super(Mode.DEMO);
        }

        @Override
        public void configure(CamelContext context) throws Exception {
            prepare(context);
            context.addStartupListener(new ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                    // routes are not running yet here, and routes added now would not be started
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                    complete(started); // routes added to a running context start at once
                }
            });
        }
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        prepare(main.getCamelContext());
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        complete(main.getCamelContext());
    }

    /** Before the route files are read: every configuration binds what the routes refer to. */
    void prepare(CamelContext context) {
        // route files and settings write {{iiot.contract.topic-root}}: the contract's root has one home
        Settings.of(context).override(TopicContract.ROOT_PROPERTY, TopicContract.ROOT);
        settings.load(context);
        try {
            context.addStartupListener(new ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                    configurations.forEach(c -> c.contextStarted(ctx));
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                    configurations.forEach(c -> c.fullyStarted(ctx));
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        each(configuration -> IiotConfiguration.prepare(context, configuration));
    }

    /** After the route files are read: health checks, and the routes made from templates. */
    void complete(CamelContext context) {
        each(configuration -> configuration.afterRoutes(context));
    }

    private interface Step {
        void run(IiotConfiguration configuration) throws Exception;
    }

    private void each(Step step) {
        try {
            for (IiotConfiguration configuration : configurations) {
                step.run(configuration);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private <T extends IiotConfiguration> Optional<T> configuration(Class<T> type) {
        return configurations.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    public Optional<EmbeddedMqttBroker> embeddedBroker() {
        return configuration(BrokerConfiguration.class).flatMap(BrokerConfiguration::broker);
    }

    public Optional<EmbeddedQuestDb> embeddedTsdb() {
        return configuration(TsdbConfiguration.class).flatMap(TsdbConfiguration::tsdb);
    }

    public List<EdgeNode> edgeNodes() {
        return configuration(EdgeConfiguration.class).map(EdgeConfiguration::nodes).orElse(List.of());
    }

    public List<StoreAndForwardPublisher> edgePublishers() {
        return configuration(EdgeConfiguration.class).map(EdgeConfiguration::publishers).orElse(List.of());
    }
}
