package io.iiotroutes.app;

import io.iiotroutes.app.config.BannerConfiguration;
import io.iiotroutes.app.config.BrokerConfiguration;
import io.iiotroutes.app.config.EdgeConfiguration;
import io.iiotroutes.app.config.IiotConfiguration;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A mode's wiring: the list of configurations (one per concern, package {@code app.config}) it runs, called in list
 * order at each moment of camel-main's start ({@link IiotConfiguration}). What they start stops with the
 * CamelContext, after the routes, in reverse order.
 * <pre>
 * edge   : observability, mqtt clients, edge, banner
 * server : observability, web, broker, mqtt clients, tsdb, server state, server health, sparkplug, banner
 * demo   : observability, web, broker, mqtt clients, tsdb, server state, server health, sparkplug, edge, banner
 * </pre>
 */
public class IiotRuntime extends MainListenerSupport {

    private final List<IiotConfiguration> configurations = new ArrayList<>();
    private final BrokerConfiguration broker;
    private final Optional<TsdbConfiguration> tsdb;
    private final Optional<EdgeConfiguration> edge;

    public IiotRuntime(Mode mode) {
        broker = new BrokerConfiguration(mode == Mode.DEMO);
        ObservabilityConfiguration observability = new ObservabilityConfiguration(mode.runsServer());
        MqttClientsConfiguration mqtt = new MqttClientsConfiguration(mode.runsServer(), broker);
        Optional<WebConfiguration> web = mode.runsServer() ? Optional.of(new WebConfiguration(mode == Mode.DEMO)) : Optional.empty();
        tsdb = mode.runsServer() ? Optional.of(new TsdbConfiguration()) : Optional.empty();
        edge = mode.runsEdge() ? Optional.of(new EdgeConfiguration(broker, mqtt)) : Optional.empty();
        configurations.add(observability);
        web.ifPresent(configurations::add);
        if (mode.runsServer()) {
            configurations.add(broker);
            configurations.add(new ReplicasConfiguration());
        }
        configurations.add(mqtt);
        tsdb.ifPresent(configurations::add);
        if (mode.runsServer()) {
            configurations.add(new ServerStateConfiguration());
            configurations.add(new ServerHealthConfiguration());
            configurations.add(new SparkplugConfiguration());
        }
        edge.ifPresent(configurations::add);
        configurations.add(new BannerConfiguration(mode.id(), broker, tsdb, web, observability, edge));
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
            for (IiotConfiguration configuration : configurations) {
                configuration.configure(context);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** After the route files are read: health checks, and the routes made from templates. */
    void complete(CamelContext context) {
        try {
            for (IiotConfiguration configuration : configurations) {
                configuration.afterRoutes(context);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public Optional<EmbeddedMqttBroker> embeddedBroker() {
        return broker.broker();
    }

    public Optional<EmbeddedQuestDb> embeddedTsdb() {
        return tsdb.flatMap(TsdbConfiguration::tsdb);
    }

    public List<EdgeNode> edgeNodes() {
        return edge.map(EdgeConfiguration::nodes).orElse(List.of());
    }

    public List<StoreAndForwardPublisher> edgePublishers() {
        return edge.map(EdgeConfiguration::publishers).orElse(List.of());
    }
}
