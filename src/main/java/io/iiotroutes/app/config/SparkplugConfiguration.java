package io.iiotroutes.app.config;

import io.iiotroutes.model.TopicContract;
import io.iiotroutes.sparkplug.SparkplugHost;
import io.iiotroutes.sparkplug.SparkplugHostClient;
import io.iiotroutes.sparkplug.SparkplugTopics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

import javax.net.SocketFactory;
import java.util.Arrays;
import java.util.List;

/**
 * The server as a Sparkplug B host application (routes/sparkplug.camel.yaml, started only with
 * {@code iiot.sparkplug.enabled}): its MQTT 5 session {@value #CLIENT} (STATE birth and will, rebirth requests) and
 * the bean {@value #HOST} that turns Sparkplug messages into our model, with its limits. Sets
 * {@value #SUBSCRIPTION}, the consumer's filter ({@code spBv1.0/#}, or the first group's when
 * {@code iiot.sparkplug.groups} names groups). Both beans are bound even when Sparkplug is off, so the route file
 * builds; the client connects only when the route starts.
 */
public final class SparkplugConfiguration implements IiotConfiguration {

    public static final String HOST = "sparkplugHost";
    public static final String CLIENT = "sparkplugHostClient";
    public static final String SUBSCRIPTION = "iiot.sparkplug.subscription";

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.of(context);
        String hostId = settings.string("iiot.sparkplug.host-id");
        requireId("iiot.sparkplug.host-id", hostId);
        List<String> groups = Arrays.stream(settings.optional("iiot.sparkplug.groups").orElse("").split(","))
                .map(String::trim).filter(g -> !g.isEmpty()).toList();
        groups.forEach(group -> requireId("iiot.sparkplug.groups", group));
        List<String> filters = SparkplugTopics.hostSubscriptions(groups, hostId);
        settings.override(SUBSCRIPTION, filters.get(0));

        // Sparkplug 3.0: a host connects with clean start and no session expiry (SparkplugHostClient sets both)
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        options.setSocketFactory(context.getRegistry().lookupByNameAndType(MqttClientsConfiguration.SOCKET_FACTORY,
                SocketFactory.class));
        options.setReceiveMaximum(settings.integer("iiot.server.batch.max-messages"));
        settings.optional("iiot.mqtt.username").ifPresent(options::setUserName);
        settings.optional("iiot.mqtt.password").ifPresent(p -> options.setPassword(p.getBytes()));
        String clientId = settings.string("iiot.server.client-id") + "-sparkplug";
        SparkplugHostClient client = new SparkplugHostClient(settings.string("iiot.mqtt.url"), clientId, options,
                hostId, filters);
        context.getRegistry().bind(CLIENT, client);
        StopWithContext.register(context, "Sparkplug host client " + clientId, client::shutdown);

        SparkplugHost.Limits limits = new SparkplugHost.Limits(settings.integer("iiot.sparkplug.max-identities"),
                settings.integer("iiot.sparkplug.max-devices-per-node"), settings.integer("iiot.sparkplug.max-metrics-per-birth"),
                settings.number("iiot.sparkplug.max-metrics"), settings.integer("iiot.sparkplug.max-timestamps-per-message"),
                settings.integer("iiot.server.max-payload-bytes"), settings.number("iiot.sparkplug.rebirth-interval-ms"));
        SparkplugHost host = new SparkplugHost(hostId, limits, client);
        context.getRegistry().bind(HOST, host);
        MeterRegistry metrics = ObservabilityConfiguration.meterRegistry(context);
        FunctionCounter.builder("iiot.sparkplug.rebirth.requests", host, SparkplugHost::rebirthsRequested)
                .description("Rebirth requests (NCMD Node Control/Rebirth) published to Sparkplug edge nodes").register(metrics);
        FunctionCounter.builder("iiot.sparkplug.stale.deaths", host, SparkplugHost::staleDeathsIgnored)
                .description("NDEATHs ignored: their bdSeq was not that of the current birth").register(metrics);
        Gauge.builder("iiot.sparkplug.metrics.kept", host, SparkplugHost::metricsKept)
                .description("Metrics held in the Sparkplug birth certificates kept (iiot.sparkplug.max-metrics)").register(metrics);
    }

    private static void requireId(String setting, String id) {
        if (!TopicContract.isValidId(id)) {
            throw new IllegalArgumentException(setting + ": '" + id + "' must match " + TopicContract.ID_PATTERN);
        }
    }
}
