package io.iiotroutes.app.config;

import io.iiotroutes.sparkplug.SparkplugHost;
import io.iiotroutes.sparkplug.SparkplugHostClient;
import io.iiotroutes.sparkplug.SparkplugTopics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

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

    private final IiotSettings settings;
    private final BrokerConfiguration broker;
    private final MqttClientsConfiguration mqtt;
    private final MeterRegistry metrics;

    public SparkplugConfiguration(IiotSettings settings, BrokerConfiguration broker, MqttClientsConfiguration mqtt,
                                  MeterRegistry metrics) {
        this.settings = settings;
        this.broker = broker;
        this.mqtt = mqtt;
        this.metrics = metrics;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        SparkplugSettings sparkplug = settings.sparkplug();
        ServerSettings server = settings.server();
        MqttSettings account = broker.mqtt();
        List<String> filters = SparkplugTopics.hostSubscriptions(sparkplug.groups(), sparkplug.hostId());
        // the route file's consumer reads it (routes/sparkplug.camel.yaml)
        Settings.of(context).override(SUBSCRIPTION, filters.get(0));

        // Sparkplug 3.0: a host connects with clean start and no session expiry (SparkplugHostClient sets both)
        MqttConnectionOptions options = mqtt.serverOptions();
        String clientId = server.clientId() + "-sparkplug";
        SparkplugHostClient client = new SparkplugHostClient(account.brokerUrl(), clientId, options,
                sparkplug.hostId(), filters);
        context.getRegistry().bind(CLIENT, client);
        StopWithContext.register(context, "Sparkplug host client " + clientId, client::shutdown);

        SparkplugHost host = new SparkplugHost(sparkplug.hostId(), sparkplug.limits(), client);
        context.getRegistry().bind(HOST, host);
        FunctionCounter.builder("iiot.sparkplug.rebirth.requests", host, SparkplugHost::rebirthsRequested)
                .description("Rebirth requests (NCMD Node Control/Rebirth) published to Sparkplug edge nodes").register(metrics);
        FunctionCounter.builder("iiot.sparkplug.stale.deaths", host, SparkplugHost::staleDeathsIgnored)
                .description("NDEATHs ignored: their bdSeq was not that of the current birth").register(metrics);
        Gauge.builder("iiot.sparkplug.metrics.kept", host, SparkplugHost::metricsKept)
                .description("Metrics held in the Sparkplug birth certificates kept (iiot.sparkplug.max-metrics)").register(metrics);
    }
}
