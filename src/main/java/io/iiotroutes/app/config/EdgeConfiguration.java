package io.iiotroutes.app.config;

import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.edge.EdgeNode;
import io.iiotroutes.edge.forward.Confirmation;
import io.iiotroutes.edge.forward.JournalSettings;
import io.iiotroutes.edge.forward.OverflowPolicy;
import io.iiotroutes.edge.forward.PublisherSettings;
import io.iiotroutes.edge.forward.PublisherStats;
import io.iiotroutes.edge.forward.StoreAndForwardPublisher;
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

    private final BrokerConfiguration broker;
    private final MqttClientsConfiguration mqtt;
    private final List<EdgeNode> nodes = new ArrayList<>();
    private final List<StoreAndForwardPublisher> publishers = new ArrayList<>();

    public EdgeConfiguration(BrokerConfiguration broker, MqttClientsConfiguration mqtt) {
        this.broker = broker;
        this.mqtt = mqtt;
    }

    @Override
    public void configure(CamelContext context) {
        // the nodes need the acquisition template, which the route files bring: made in afterRoutes
    }

    @Override
    public void afterRoutes(CamelContext context) {
        Settings settings = Settings.of(context);
        Path stateDir = Path.of(settings.string("iiot.data.dir")).resolve("edge");
        for (String file : settings.string("iiot.edge.nodes").split(",")) {
            EdgeNode node;
            try {
                node = EdgeNode.load(Path.of(file.trim()), stateDir);
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
                context.getRegistry().bind(publisherName, startSparkplugPublisher(context, settings, node, stateDir));
            } else {
                StoreAndForwardPublisher publisher = startPublisher(context, settings, node, stateDir);
                context.getRegistry().bind(publisherName, publisher);
                observe(context, node.nodeId(), publisher, settings.number("iiot.edge.health.unacknowledged-seconds"));
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
    private StoreAndForwardPublisher startPublisher(CamelContext context, Settings settings, EdgeNode node, Path stateDir) {
        PublisherSettings publisherSettings = PublisherSettings.of(settings.string("iiot.mqtt.url"),
                        "edge-" + node.site() + "-" + node.nodeId(), node.site(), node.nodeId(),
                        stateDir.resolve("journal").resolve(node.site() + "." + node.nodeId()))
                .withJournal(journalSettings(settings))
                .withConfirmation(node.delivery().confirmedByServer() ? Confirmation.SERVER : Confirmation.BROKER,
                        node.delivery().resendAfterS() * 1000L);
        Optional<char[]> ownAccount = broker.addNodeAccount(node.nodeId(), node.site());
        Optional<String> user = settings.optional("iiot.mqtt.username");
        if (ownAccount.isPresent()) {
            publisherSettings = publisherSettings.withCredentials(node.nodeId(), ownAccount.get());
        } else if (user.isPresent()) {
            publisherSettings = publisherSettings.withCredentials(user.get(),
                    settings.optional("iiot.mqtt.password").map(String::toCharArray).orElse(null));
        }
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

    /**
     * A node with {@code protocol: sparkplug-b}: NBIRTH/NDATA/NDEATH on its own connection (its site as group id), its
     * primary host {@code iiot.edge.sparkplug.primary-host} if set, its journal in {@code <node>.spb} beside the JSON
     * publisher's, its bdSeq in {@code <site>.<node>.bdseq}.
     */
    private SparkplugEdgePublisher startSparkplugPublisher(CamelContext context, Settings settings, EdgeNode node,
                                                           Path stateDir) {
        String user = null;
        char[] password = null;
        Optional<char[]> ownAccount = broker.addNodeAccount(node.nodeId(), node.site());
        if (ownAccount.isPresent()) {
            user = node.nodeId();
            password = ownAccount.get();
        } else if (settings.optional("iiot.mqtt.username").isPresent()) {
            user = settings.string("iiot.mqtt.username");
            password = settings.optional("iiot.mqtt.password").map(String::toCharArray).orElse(null);
        }
        SparkplugEdgePublisher publisher = new SparkplugEdgePublisher(new SparkplugEdgePublisher.Settings(
                settings.string("iiot.mqtt.url"), "edge-" + node.site() + "-" + node.nodeId(), user, password,
                node.site(), node.nodeId(), settings.optional("iiot.edge.sparkplug.primary-host").orElse(null),
                stateDir.resolve("journal").resolve(node.site() + "." + node.nodeId() + ".spb"), journalSettings(settings),
                stateDir.resolve(node.site() + "." + node.nodeId() + ".bdseq")), node.config(), mqtt.socketFactory());
        try {
            publisher.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the journal of node " + node.nodeId() + ": " + e.getMessage(), e);
        }
        StopWithContext.register(context, "Sparkplug edge publisher " + node.nodeId(), publisher::close);
        return publisher;
    }

    /** Size bound, overflow policy and durability of each node's journal ({@code iiot.edge.journal.*}). */
    static JournalSettings journalSettings(Settings settings) {
        JournalSettings journal = JournalSettings.bounded(settings.number("iiot.edge.journal.max-bytes"),
                settings.choice("iiot.edge.journal.overflow", OverflowPolicy.class));
        long fsyncInterval = settings.number("iiot.edge.journal.fsync-interval-ms");
        return fsyncInterval > 0 ? journal.withFsyncInterval(fsyncInterval) : journal;
    }

    /**
     * Per node: its broker connection and what waits in its journal (DOWN is survivable: the journal fills), and
     * whether the server acknowledges what it was sent (DOWN once the oldest entry has waited longer than
     * {@code iiot.edge.health.unacknowledged-seconds}, or when the broker refuses the acknowledgement topic).
     */
    private static void observe(CamelContext context, String nodeId, StoreAndForwardPublisher publisher,
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
        MeterRegistry metrics = ObservabilityConfiguration.meterRegistry(context);
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
