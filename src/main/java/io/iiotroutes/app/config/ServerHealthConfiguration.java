package io.iiotroutes.app.config;

import io.iiotroutes.mqtt.SessionMqttClient;
import io.iiotroutes.ops.ConnectionHealthCheck;
import io.iiotroutes.server.IngestHealthCheck;
import io.iiotroutes.server.IngestStall;
import io.iiotroutes.server.PipelineStats;
import io.iiotroutes.tsdb.TsdbPing;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.InflightRepository;

import java.time.Duration;
import java.util.Map;

/**
 * The server's own health checks (docs/operations.md, health): {@code mqtt-broker} (both sessions connected and
 * subscribed), {@code tsdb} (answers its ping in time) and {@code ingest} (the pipeline moves).
 */
public final class ServerHealthConfiguration implements IiotConfiguration {

    private final IiotSettings settings;
    private final BrokerConfiguration broker;
    private final MqttClientsConfiguration mqtt;
    private final TsdbConfiguration tsdb;

    public ServerHealthConfiguration(IiotSettings settings, BrokerConfiguration broker, MqttClientsConfiguration mqtt,
                                     TsdbConfiguration tsdb) {
        this.settings = settings;
        this.broker = broker;
        this.mqtt = mqtt;
        this.tsdb = tsdb;
    }

    @Override
    public void configure(CamelContext context) {
        // the checks need the routes: registered in afterRoutes
    }

    @Override
    public void afterRoutes(CamelContext context) {
        ServerSettings server = settings.server();
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        SessionMqttClient data = mqtt.dataClient();
        SessionMqttClient status = mqtt.statusClient();
        String url = broker.mqtt().brokerUrl();
        // ready only once both subscriptions are confirmed: a node that starts on the first "ready" loses nothing
        health.register(new ConnectionHealthCheck("mqtt-broker", () -> {
            boolean up = data.isSubscribed() && status.isSubscribed();
            return (up ? ConnectionHealthCheck.Probe.up("connected to " + url + ", subscribed")
                    : data.isConnected() && status.isConnected()
                    ? ConnectionHealthCheck.Probe.down("connected to " + url + ", not subscribed yet")
                    : ConnectionHealthCheck.Probe.down("not connected to " + url + " (reconnecting)"))
                    .with(Map.of("data", data.isSubscribed(), "status", status.isSubscribed()));
        }));
        String tsdbUrl = tsdb.url();
        Object client = tsdb.client();
        // a TSDB that accepts the connection and never answers must not hang the health endpoint
        Duration pingTimeout = server.pingTimeout();
        health.register(new ConnectionHealthCheck("tsdb", () -> TsdbPing.ping(client, pingTimeout)
                ? ConnectionHealthCheck.Probe.up("answering at " + tsdbUrl)
                : ConnectionHealthCheck.Probe.down("not answering at " + tsdbUrl + " within " + pingTimeout.toSeconds() + " s")));
        IngestStall stall = new IngestStall(server.stall());
        health.register(new IngestHealthCheck(stall, () -> ingestSample(context), () -> TsdbPing.ping(client, pingTimeout)));
    }

    @Override
    public void contextStarted(CamelContext context) {
        // the 'ingest' check asks how long the oldest message has been in flight: Camel keeps that only while
        // browsing is on (set earlier, or through camel.main.inflightRepositoryBrowseEnabled, it did not reach the
        // repository the routes use)
        context.getInflightRepository().setInflightBrowseEnabled(true);
    }

    /** What the receive routes hold now and when one last completed (the routes' own statistics). */
    private static IngestStall.Sample ingestSample(CamelContext context) {
        long now = System.currentTimeMillis();
        int inflight = 0;
        long oldest = 0;
        long lastStored = -1;
        ManagedCamelContext managed = context.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        for (String routeId : PipelineStats.RECEIVE_ROUTES) {
            inflight += context.getInflightRepository().size(routeId);
            InflightRepository.InflightExchange exchange = context.getInflightRepository().oldest(routeId);
            if (exchange != null) {
                oldest = Math.max(oldest, exchange.getDuration());
            }
            ManagedRouteMBean route = managed == null ? null : managed.getManagedRoute(routeId);
            if (route != null && route.getLastExchangeCompletedTimestamp() != null) {
                lastStored = Math.max(lastStored, route.getLastExchangeCompletedTimestamp().getTime());
            }
        }
        return new IngestStall.Sample(inflight, oldest, lastStored < 0 ? -1 : now - lastStored);
    }
}
