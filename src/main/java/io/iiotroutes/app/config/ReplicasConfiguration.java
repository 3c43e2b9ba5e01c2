package io.iiotroutes.app.config;

import io.iiotroutes.mqtt.SharedSubscription;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this server is one of several replicas: it is when its data subscription ({@code iiot.server.subscription})
 * is shared ({@link ServerSettings#replicated()}). Told to the route files here, once: {@value #REPLICATED} starts
 * the replicas' own subscriptions (routes/replicas.camel.yaml) and moves showing a message from after its storage to
 * its own subscription {@value #OBSERVE_SUBSCRIPTION}, the shared filter without its group (docs/deployment.md).
 */
public final class ReplicasConfiguration implements IiotConfiguration {

    public static final String REPLICATED = "iiot.server.replicated";
    public static final String OBSERVE_SUBSCRIPTION = "iiot.server.observe-subscription";
    private static final Logger LOG = LoggerFactory.getLogger(ReplicasConfiguration.class);

    private final IiotSettings settings;

    public ReplicasConfiguration(IiotSettings settings) {
        this.settings = settings;
    }

    @Override
    public void configure(CamelContext context) {
        ServerSettings server = settings.server();
        SharedSubscription subscription = server.subscription();
        Settings properties = Settings.of(context);
        properties.override(REPLICATED, Boolean.toString(server.replicated()));
        properties.override(OBSERVE_SUBSCRIPTION, subscription.filter());
        if (server.replicated()) {
            LOG.info("Replica {} of share group '{}': stores its share of {}, shows every message",
                    server.clientId(), subscription.group(), subscription.filter());
        }
    }
}
