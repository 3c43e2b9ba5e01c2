package io.iiotroutes.app.config;

import io.iiotroutes.mqtt.SharedSubscription;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this server is one of several replicas: it is when its data subscription ({@code iiot.server.subscription})
 * is shared. Decided here once, for the routes: {@value #REPLICATED} starts the replicas' own subscriptions
 * (routes/replicas.camel.yaml) and moves showing a message from after its storage to its own subscription
 * {@value #OBSERVE_SUBSCRIPTION}, the shared filter without its group (docs/deployment.md).
 */
public final class ReplicasConfiguration implements IiotConfiguration {

    public static final String REPLICATED = "iiot.server.replicated";
    public static final String OBSERVE_SUBSCRIPTION = "iiot.server.observe-subscription";
    private static final Logger LOG = LoggerFactory.getLogger(ReplicasConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        Settings settings = Settings.of(context);
        SharedSubscription subscription = SharedSubscription.parse(settings.string("iiot.server.subscription"));
        settings.override(REPLICATED, Boolean.toString(subscription.shared()));
        settings.override(OBSERVE_SUBSCRIPTION, subscription.filter());
        if (subscription.shared()) {
            LOG.info("Replica {} of share group '{}': stores its share of {}, shows every message",
                    settings.string("iiot.server.client-id"), subscription.group(), subscription.filter());
        }
    }

    /** The data session's expiry: short for a replica, whose queued share must not wait for it (docs/deployment.md). */
    static long sessionExpirySeconds(Settings settings) {
        return SharedSubscription.parse(settings.string("iiot.server.subscription")).shared()
                ? settings.number("iiot.server.shared-session-expiry-seconds")
                : settings.number("iiot.server.session-expiry-seconds");
    }
}
