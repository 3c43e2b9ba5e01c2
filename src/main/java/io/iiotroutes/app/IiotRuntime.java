package io.iiotroutes.app;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import io.iiotroutes.broker.BrokerSettings;
import io.iiotroutes.broker.EmbeddedMqttBroker;
import io.iiotroutes.edge.EdgeConfigException;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.edge.EdgeNode;
import io.iiotroutes.edge.forward.JournalSettings;
import io.iiotroutes.edge.forward.OverflowPolicy;
import io.iiotroutes.edge.forward.PublisherSettings;
import io.iiotroutes.edge.forward.StoreAndForwardPublisher;
import io.iiotroutes.mqtt.NoDelaySocketFactory;
import io.iiotroutes.mqtt.SessionMqttClient;
import io.iiotroutes.tsdb.EmbeddedQuestDb;
import io.iiotroutes.tsdb.SynchronousWrites;
import io.iiotroutes.server.DeadLetters;
import io.iiotroutes.server.NodeMonitor;
import io.iiotroutes.server.WriteBatcher;
import io.iiotroutes.tsdb.TsdbRefusals;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.handler.StaticHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.spi.PropertiesComponent;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Owns what the routes run on: the embedded broker and TSDB (when no external ones are configured), the TSDB and
 * MQTT clients, the shared Vert.x instance, the edge nodes and the static web folder. Hooked into camel-main's
 * lifecycle; everything it starts is stopped with the CamelContext, after the routes.
 */
public class IiotRuntime extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(IiotRuntime.class);
    static final String EDGE_TEMPLATE_ID = "edge-acquisition";

    private final Mode mode;
    private EmbeddedMqttBroker broker;
    private EmbeddedQuestDb tsdb;
    private final List<EdgeNode> edgeNodes = new ArrayList<>();
    private final List<StoreAndForwardPublisher> edgePublishers = new ArrayList<>();

    public IiotRuntime(Mode mode) {
        this.mode = mode;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        PropertiesComponent properties = context.getPropertiesComponent();
        Path dataDir = Path.of(required(properties, "iiot.data.dir"));
        try {
            context.addStartupListener(new ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                    // routes are not running yet here
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                    onFullyStarted(ctx);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }

        MqttCredentials.apply(context, properties); // broker authentication (compose/): every MQTT client
        if (mode.runsServer()) {
            if (optional(properties, "iiot.mqtt.url").isEmpty()) {
                broker = new EmbeddedMqttBroker(dataDir.resolve("broker"), new BrokerSettings(
                        required(properties, "iiot.broker.host"),
                        Integer.parseInt(required(properties, "iiot.broker.port")),
                        Boolean.parseBoolean(required(properties, "iiot.broker.persistent")),
                        Long.parseLong(required(properties, "iiot.broker.max-queued-messages")),
                        Integer.parseInt(required(properties, "iiot.broker.server-receive-maximum"))));
                broker.start();
                StopWithContext.register(context, "embedded MQTT broker", broker::stop);
                properties.addOverrideProperty("iiot.mqtt.url", broker.getUrl());
            }
            if (optional(properties, "iiot.tsdb.url").isEmpty()) {
                tsdb = new EmbeddedQuestDb(dataDir.resolve("tsdb"), required(properties, "iiot.tsdb.host"),
                        Integer.parseInt(required(properties, "iiot.tsdb.http-port")),
                        Integer.parseInt(required(properties, "iiot.tsdb.pg-port")));
                tsdb.start();
                StopWithContext.register(context, "embedded TSDB", tsdb::stop);
                tsdb.executeScript("questdb/schema.sql");
                properties.addOverrideProperty("iiot.tsdb.url", tsdb.getHttpUrl());
            }
            if (TsdbV1Setup.selected(properties)) { // InfluxDB 1.x write path (iiot.tsdb.api=v1)
                TsdbV1Setup.bind(context, properties);
            } else {
                bindTsdbClient(context, properties);
            }
            bindWriteBatcher(context, properties);
            bindServerMqttClient(context, properties);
            Vertx vertx = Vertx.vertx();
            context.getRegistry().bind("vertx", vertx);
            StopWithContext.register(context, "Vert.x",
                    () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
    }

    /**
     * One MQTT connection per node (its own last will), publishing through an on-disk journal whenever the broker
     * cannot take a message, so nothing sampled is lost while the broker or the network is away.
     */
    private StoreAndForwardPublisher startPublisher(CamelContext context, PropertiesComponent properties, EdgeNode node,
                                                    Path stateDir) {
        PublisherSettings settings = PublisherSettings.of(required(properties, "iiot.mqtt.url"),
                        "edge-" + node.site() + "-" + node.nodeId(), node.site(), node.nodeId(),
                        stateDir.resolve("journal").resolve(node.site() + "." + node.nodeId()))
                .withJournal(JournalSettings.bounded(
                        Long.parseLong(required(properties, "iiot.edge.journal.max-bytes")),
                        OverflowPolicy.valueOf(required(properties, "iiot.edge.journal.overflow")
                                .toUpperCase(Locale.ROOT).replace('-', '_'))));
        Optional<String> user = optional(properties, "iiot.mqtt.username");
        if (user.isPresent()) {
            settings = settings.withCredentials(user.get(),
                    optional(properties, "iiot.mqtt.password").map(String::toCharArray).orElse(null));
        }
        StoreAndForwardPublisher publisher = new StoreAndForwardPublisher(settings, new JsonMessageCodec());
        try {
            publisher.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the journal of node " + node.nodeId() + ": " + e.getMessage(), e);
        }
        edgePublishers.add(publisher);
        StopWithContext.register(context, "edge publisher " + node.nodeId(), publisher::close);
        return publisher;
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        if (mode.runsServer()) {
            bindServerMetrics(context);
        }
        if (!mode.runsEdge()) {
            return;
        }
        PropertiesComponent properties = context.getPropertiesComponent();
        Path stateDir = Path.of(required(properties, "iiot.data.dir")).resolve("edge");
        for (String file : required(properties, "iiot.edge.nodes").split(",")) {
            EdgeNode node;
            try {
                node = EdgeNode.load(Path.of(file.trim()), stateDir);
            } catch (EdgeConfigException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            edgeNodes.add(node);
            StopWithContext.register(context, "edge node " + node.nodeId(), node::close);
            String beanName = "edgeNode-" + node.nodeId();
            context.getRegistry().bind(beanName, node);
            StoreAndForwardPublisher publisher = startPublisher(context, properties, node, stateDir);
            String publisherName = "edgePublisher-" + node.nodeId();
            context.getRegistry().bind(publisherName, publisher);
            try {
                TemplatedRouteBuilder.builder(context, EDGE_TEMPLATE_ID)
                        .routeId(EDGE_TEMPLATE_ID + "-" + node.nodeId())
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

    /** Runs once the context and its routes have started, whichever way the application was started. */
    private void onFullyStarted(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        if (mode.runsServer()) {
            mountStaticWebFolder(context, required(properties, "iiot.web.static-folder"));
        }
        LOG.info(banner(properties));
    }

    public Optional<EmbeddedMqttBroker> embeddedBroker() {
        return Optional.ofNullable(broker);
    }

    public Optional<EmbeddedQuestDb> embeddedTsdb() {
        return Optional.ofNullable(tsdb);
    }

    public List<EdgeNode> edgeNodes() {
        return List.copyOf(edgeNodes);
    }

    public List<StoreAndForwardPublisher> edgePublishers() {
        return List.copyOf(edgePublishers);
    }

    /** The route beans' meters go into the one registry served at /observe/metrics (beans exist only now). */
    private static void bindServerMetrics(CamelContext context) {
        MeterRegistry metrics = context.getRegistry().lookupByNameAndType("meterRegistry", MeterRegistry.class);
        context.getRegistry().findByType(NodeMonitor.class).forEach(monitor -> monitor.bindMetrics(metrics));
        context.getRegistry().findByType(DeadLetters.class).forEach(deadLetters -> deadLetters.bindMetrics(metrics));
    }

    private void bindTsdbClient(CamelContext context, PropertiesComponent properties) {
        InfluxDBClientOptions.Builder options = InfluxDBClientOptions.builder()
                .url(required(properties, "iiot.tsdb.url"))
                .org(required(properties, "iiot.tsdb.org"))
                .bucket(required(properties, "iiot.tsdb.bucket"));
        optional(properties, "iiot.tsdb.token").ifPresent(token -> options.authenticateToken(token.toCharArray()));
        InfluxDBClient client = SynchronousWrites.wrap(InfluxDBClientFactory.create(options.build()));
        context.getRegistry().bind("tsdbClient", client);
        StopWithContext.register(context, "TSDB client", client::close);
    }

    /**
     * The ingest route's batched TSDB writes ({@code tsdbBatcher}): registered after the TSDB client, so it stops
     * (writing what is queued) before the client closes; it writes through the same endpoint as every route, once
     * the context has started (the endpoint's v1/v2 choice is settled only then).
     */
    private static void bindWriteBatcher(CamelContext context, PropertiesComponent properties) {
        WriteBatcher batcher = new WriteBatcher(
                Integer.parseInt(required(properties, "iiot.server.batch.max-points")),
                Integer.parseInt(required(properties, "iiot.server.batch.max-messages")),
                TsdbRefusals::isRefusal);
        context.getRegistry().bind("tsdbBatcher", batcher);
        StopWithContext.register(context, "TSDB write batcher", batcher::close);
        try {
            context.addStartupListener((ctx, alreadyStarted) -> {
                ProducerTemplate template = ctx.createProducerTemplate();
                String endpoint = ctx.resolvePropertyPlaceholders("{{iiot.tsdb.endpoint}}");
                batcher.start(points -> {
                    Exchange result = template.send(endpoint, exchange -> exchange.getIn().setBody(points));
                    if (result.getException() != null) {
                        throw result.getException();
                    }
                });
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void bindServerMqttClient(CamelContext context, PropertiesComponent properties) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        // MQTT 5: without an expiry interval the broker drops the session at disconnect, however clean start is set
        options.setSessionExpiryInterval(Long.parseLong(required(properties, "iiot.server.session-expiry-seconds")));
        options.setKeepAliveInterval(30);
        // a reconnect attempt that hangs must give up soon, so the next attempt can succeed
        options.setConnectionTimeout(10);
        options.setSocketFactory(new NoDelaySocketFactory());
        // MQTT 5 receive maximum: the broker sends at most this many unacknowledged messages; with batched writes
        // the server holds that many at most (in memory, unacknowledged) and the broker keeps the rest
        options.setReceiveMaximum(Integer.parseInt(required(properties, "iiot.server.batch.max-messages")));
        optional(properties, "iiot.mqtt.username").ifPresent(options::setUserName);
        optional(properties, "iiot.mqtt.password").ifPresent(p -> options.setPassword(p.getBytes()));
        // one session per subscription: camel-paho-mqtt5's consumer installs its own callback on the client
        bindSessionClient(context, "serverMqttClient", required(properties, "iiot.mqtt.url"),
                required(properties, "iiot.server.client-id"), options);
        bindSessionClient(context, "serverStatusClient", required(properties, "iiot.mqtt.url"),
                required(properties, "iiot.server.client-id") + "-status", options);
    }

    private static void bindSessionClient(CamelContext context, String name, String url, String clientId,
                                          MqttConnectionOptions options) {
        try {
            SessionMqttClient client = new SessionMqttClient(url, clientId, options);
            context.getRegistry().bind(name, client);
            StopWithContext.register(context, "MQTT client " + clientId, client::shutdown);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the MQTT client " + clientId + ": " + e.getMessage(), e);
        }
    }

    private static void mountStaticWebFolder(CamelContext context, String folder) {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null) {
            throw new IllegalStateException("camel.server.enabled must be true in server and demo modes");
        }
        // A dedicated folder on the classpath, never the working directory: camel.server.staticEnabled would
        // serve pom.xml and the properties files, and corrupts binary files.
        server.getRouter().route("/*")
                .order(Integer.MAX_VALUE)
                .handler(StaticHandler.create(folder).setIndexPage("index.html"));
    }

    private String banner(PropertiesComponent properties) {
        StringBuilder text = new StringBuilder("\n\n  IIoT Routes is running in ").append(mode.id()).append(" mode\n");
        if (mode.runsServer()) {
            text.append("  Live web page : http://").append(displayHost(required(properties, "iiot.web.host")))
                    .append(':').append(required(properties, "iiot.web.port")).append("/\n");
        }
        text.append("  MQTT broker   : ").append(required(properties, "iiot.mqtt.url"))
                .append(broker != null ? "  (embedded HiveMQ CE)" : "").append('\n');
        if (mode.runsServer()) {
            text.append("  TSDB          : ").append(required(properties, "iiot.tsdb.url"))
                    .append(tsdb != null ? "  (embedded QuestDB: open it for the SQL console, table 'reading')" : "")
                    .append('\n');
        }
        if (!edgeNodes.isEmpty()) {
            text.append("  Edge nodes    : ").append(Arrays.toString(edgeNodes.stream().map(EdgeNode::nodeId).toArray()))
                    .append('\n');
        }
        return text.append("  Stop with Ctrl+C\n").toString();
    }

    private static String displayHost(String host) {
        return "0.0.0.0".equals(host) || "127.0.0.1".equals(host) ? "localhost" : host;
    }

    static String required(PropertiesComponent properties, String key) {
        return optional(properties, key).orElseThrow(() -> new IllegalArgumentException(
                "missing setting '" + key + "' (property " + key + " or environment variable "
                        + IiotApplication.environmentName(key) + ")"));
    }

    static Optional<String> optional(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }
}
