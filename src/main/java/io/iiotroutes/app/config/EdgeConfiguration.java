package io.iiotroutes.app.config;

import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.edge.EdgeNode;
import io.iiotroutes.edge.forward.Confirmation;
import io.iiotroutes.edge.forward.PublisherSettings;
import io.iiotroutes.edge.forward.PublisherStats;
import io.iiotroutes.edge.forward.StoreAndForwardPublisher;
import io.iiotroutes.mqtt.MqttTimeouts;
import io.iiotroutes.sparkplug.SparkplugEdgePublisher;
import io.iiotroutes.node.NodeConfigException;
import io.iiotroutes.ops.ConnectionHealthCheck;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.health.HealthCheckRegistry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The edge nodes of this process ({@code iiot.edge.nodes}): per node the sampler ({@code edgeNode-<node>}), a
 * store-and-forward publisher with its own MQTT connection and journal ({@code edgePublisher-<node>}), its health
 * check and meters, and an acquisition route made from the {@value #TEMPLATE_ID} template
 * (edge-routes/acquisition.camel.yaml).
 */
public final class EdgeConfiguration implements IiotConfiguration {

    public static final String TEMPLATE_ID = "edge-acquisition";

    private final IiotSettings settings;
    private final BrokerConfiguration broker;
    private final MqttClientsConfiguration mqtt;
    private final MeterRegistry metrics;
    private final List<EdgeNode> nodes = new ArrayList<>();
    private final List<StoreAndForwardPublisher> publishers = new ArrayList<>();

    public EdgeConfiguration(IiotSettings settings, BrokerConfiguration broker, MqttClientsConfiguration mqtt,
                             MeterRegistry metrics) {
        this.settings = settings;
        this.broker = broker;
        this.mqtt = mqtt;
        this.metrics = metrics;
    }

    @Override
    public void configure(CamelContext context) {
        // the nodes need the acquisition template, which the route files bring: made in afterRoutes
    }

    @Override
    public void afterRoutes(CamelContext context) {
        EdgeSettings edge = settings.edge();
        Path stateDir = settings.dataDir().resolve("edge");
        for (Path file : edge.nodeFiles()) {
            EdgeNode node;
            try {
                node = EdgeNode.load(file, stateDir);
            } catch (NodeConfigException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            nodes.add(node);
            StopWithContext.register(context, "edge node " + node.nodeId(), node::close);
            String beanName = "edgeNode-" + node.nodeId();
            context.getRegistry().bind(beanName, node);
            String publisherName = "edgePublisher-" + node.nodeId();
            if (node.config().sparkplugB()) {
                // a Sparkplug B edge node: the same acquisition route, another publisher (same publish method)
                context.getRegistry().bind(publisherName, startSparkplugPublisher(context, edge, node, stateDir));
            } else {
                StoreAndForwardPublisher publisher = startPublisher(context, edge, node, stateDir);
                context.getRegistry().bind(publisherName, publisher);
                observe(context, node.nodeId(), publisher, edge.unacknowledgedSeconds());
            }
            try {
                TemplatedRouteBuilder.builder(context, TEMPLATE_ID)
                        .routeId(TEMPLATE_ID + "-" + node.nodeId())
                        .parameter("site", node.site())
                        .parameter("node", node.nodeId())
                        .parameter("sampler", beanName)
                        .parameter("publisher", publisherName)
                        .parameter("periodMs", Long.toString(node.samplePeriodMillis()))
                        .add();
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot create the acquisition route for node " + node.nodeId()
                        + " (is edge-routes/acquisition.camel.yaml loaded?): " + e.getMessage(), e);
            }
        }
    }

    /**
     * One MQTT connection per node (its own last will), publishing through an on-disk journal whenever the broker
     * cannot take a message, so nothing sampled is lost while the broker or the network is away.
     */
    private StoreAndForwardPublisher startPublisher(CamelContext context, EdgeSettings edge, EdgeNode node, Path stateDir) {
        MqttSettings mqttSettings = broker.mqtt();
        Account account = account(node);
        String user = account.user();
        char[] password = account.password();
        int qos = mqttSettings.qos();
        if (qos != 1 && qos != 2) {
            throw new IllegalArgumentException("iiot.mqtt.qos must be 1 or 2 on an edge node (store-and-forward needs"
                    + " the broker's acknowledgement): " + qos);
        }
        // every value from the settings and the node file: none of PublisherSettings' own defaults
        PublisherSettings publisherSettings = new PublisherSettings(mqttSettings.brokerUrl(),
                "edge-" + node.site() + "-" + node.nodeId(), user, password, node.site(), node.nodeId(),
                stateDir.resolve("journal").resolve(node.site() + "." + node.nodeId()), edge.journal(), qos,
                MqttTimeouts.CONNECT_TIMEOUT_SECONDS, MqttTimeouts.KEEP_ALIVE_SECONDS,
                node.delivery().confirmedByServer() ? Confirmation.SERVER : Confirmation.BROKER,
                node.delivery().resendAfterS() * 1000L);
        StoreAndForwardPublisher publisher = new StoreAndForwardPublisher(publisherSettings, new JsonMessageCodec(),
                mqtt.socketFactory());
        try {
            publisher.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the journal of node " + node.nodeId() + ": " + e.getMessage(), e);
        }
        publishers.add(publisher);
        StopWithContext.register(context, "edge publisher " + node.nodeId(), publisher::close);
        return publisher;
    }

    /** The MQTT account a node's publisher logs in with: its own in the demo's embedded broker, else the configured one. */
    private record Account(String user, char[] password) {
    }

    private Account account(EdgeNode node) {
        Optional<char[]> ownAccount = broker.addNodeAccount(node.nodeId(), node.site());
        if (ownAccount.isPresent()) {
            return new Account(node.nodeId(), ownAccount.get());
        }
        MqttSettings mqttSettings = broker.mqtt();
        return new Account(mqttSettings.username().orElse(null),
                mqttSettings.username().isPresent() ? mqttSettings.password().map(String::toCharArray).orElse(null) : null);
    }

    /**
     * A node with {@code protocol: sparkplug-b}: NBIRTH/NDATA/NDEATH on its own connection (its site as group id), its
     * primary host {@code iiot.edge.sparkplug.primary-host} if set, its journal in {@code <node>.spb} beside the JSON
     * publisher's, its bdSeq in {@code <site>.<node>.bdseq}.
     */
    private SparkplugEdgePublisher startSparkplugPublisher(CamelContext context, EdgeSettings edge, EdgeNode node,
                                                           Path stateDir) {
        Account account = account(node);
        SparkplugEdgePublisher publisher = new SparkplugEdgePublisher(new SparkplugEdgePublisher.Settings(
                broker.mqtt().brokerUrl(), "edge-" + node.site() + "-" + node.nodeId(), account.user(), account.password(),
                node.site(), node.nodeId(), edge.sparkplugPrimaryHost().orElse(null),
                stateDir.resolve("journal").resolve(node.site() + "." + node.nodeId() + ".spb"), edge.journal(),
                stateDir.resolve(node.site() + "." + node.nodeId() + ".bdseq")), node.config(), mqtt.socketFactory());
        try {
            publisher.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the journal of node " + node.nodeId() + ": " + e.getMessage(), e);
        }
        StopWithContext.register(context, "Sparkplug edge publisher " + node.nodeId(), publisher::close);
        return publisher;
    }

    /**
     * Per node: its broker connection and what waits in its journal (DOWN is survivable: the journal fills), and
     * whether the server acknowledges what it was sent (DOWN once the oldest entry has waited longer than
     * {@code iiot.edge.health.unacknowledged-seconds}, or when the broker refuses the acknowledgement topic).
     */
    private void observe(CamelContext context, String nodeId, StoreAndForwardPublisher publisher,
                         long unacknowledgedSeconds) {
        HealthCheckRegistry.get(context).register(new ConnectionHealthCheck("mqtt-broker-" + nodeId, () -> {
            PublisherStats stats = publisher.stats();
            Map<String, Object> details = Map.of("backlog", stats.backlog(), "backlogBytes", stats.backlogBytes(),
                    "dropped", stats.dropped());
            return (stats.connected() ? ConnectionHealthCheck.Probe.up("connected")
                    : ConnectionHealthCheck.Probe.down("broker unreachable, journaling")).with(details);
        }));
        HealthCheckRegistry.get(context).register(new ConnectionHealthCheck("delivery-" + nodeId, () -> {
            PublisherStats stats = publisher.stats();
            Map<String, Object> details = Map.of("unsent", stats.unsent(), "awaitingAck", stats.awaitingAck(),
                    "oldestWaitingSeconds", stats.oldestWaitingMillis() / 1000, "resent", stats.resent());
            ConnectionHealthCheck.Probe probe;
            if (stats.ackSubscriptionRefused()) {
                probe = ConnectionHealthCheck.Probe.down("the broker refuses the acknowledgement topic: nothing is confirmed");
            } else if (stats.oldestWaitingMillis() > unacknowledgedSeconds * 1000) {
                probe = ConnectionHealthCheck.Probe.down("oldest message not confirmed for "
                        + stats.oldestWaitingMillis() / 1000 + " s (server, TSDB or broker behind)");
            } else {
                probe = ConnectionHealthCheck.Probe.up("confirmed within " + unacknowledgedSeconds + " s");
            }
            return probe.with(details);
        }));
        Tags tags = Tags.of("node", nodeId);
        Gauge.builder("iiot.edge.backlog", publisher, p -> p.stats().backlog()).tags(tags)
                .description("Messages in the store-and-forward journal: not sent yet, or not yet acknowledged").register(metrics);
        Gauge.builder("iiot.edge.backlog.bytes", publisher, p -> p.stats().backlogBytes()).tags(tags)
                .description("Bytes waiting in the store-and-forward journal").register(metrics);
        Gauge.builder("iiot.edge.connected", publisher, p -> p.stats().connected() ? 1 : 0).tags(tags)
                .description("1 while the node's MQTT connection is up").register(metrics);
        Gauge.builder("iiot.edge.unsent", publisher, p -> p.stats().unsent()).tags(tags)
                .description("Messages in the journal not sent yet").register(metrics);
        Gauge.builder("iiot.edge.unacknowledged", publisher, p -> p.stats().awaitingAck()).tags(tags)
                .description("Messages sent and waiting for the server's acknowledgement").register(metrics);
        Gauge.builder("iiot.edge.oldest.waiting.seconds", publisher, p -> p.stats().oldestWaitingMillis() / 1000.0)
                .tags(tags).description("Age of the oldest message the journal holds (unsent or unacknowledged)")
                .register(metrics);
        FunctionCounter.builder("iiot.edge.resent", publisher, p -> p.stats().resent()).tags(tags)
                .description("Messages sent again because the server had not acknowledged them").register(metrics);
        FunctionCounter.builder("iiot.edge.acknowledged", publisher, p -> p.stats().acknowledged()).tags(tags)
                .description("Messages the server acknowledged as stored").register(metrics);
        FunctionCounter.builder("iiot.edge.published", publisher, p -> p.stats().published()).tags(tags)
                .description("Messages delivered live (PUBACK success)").register(metrics);
        FunctionCounter.builder("iiot.edge.replayed", publisher, p -> p.stats().replayed()).tags(tags)
                .description("Journaled messages delivered later").register(metrics);
        FunctionCounter.builder("iiot.edge.dropped", publisher, p -> p.stats().dropped()).tags(tags)
                .description("Journaled messages lost to the overflow policy").register(metrics);
        FunctionCounter.builder("iiot.edge.refused", publisher, p -> p.stats().refused()).tags(tags)
                .description("Publishes the broker refused (PUBACK reason code >= 0x80)").register(metrics);
    }

    public List<EdgeNode> nodes() {
        return List.copyOf(nodes);
    }

    public List<StoreAndForwardPublisher> publishers() {
        return List.copyOf(publishers);
    }
}
