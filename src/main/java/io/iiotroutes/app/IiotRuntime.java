package io.iiotroutes.app;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import io.iiotroutes.broker.BrokerAccounts;
import io.iiotroutes.broker.BrokerRole;
import io.iiotroutes.broker.BrokerSecurity;
import io.iiotroutes.broker.BrokerSettings;
import io.iiotroutes.broker.PasswordHash;
import io.iiotroutes.broker.TopicRules;
import io.iiotroutes.broker.EmbeddedMqttBroker;
import io.iiotroutes.edge.EdgeConfigException;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.edge.EdgeNode;
import io.iiotroutes.edge.forward.JournalSettings;
import io.iiotroutes.edge.forward.OverflowPolicy;
import io.iiotroutes.edge.forward.PublisherSettings;
import io.iiotroutes.edge.forward.PublisherStats;
import io.iiotroutes.edge.forward.StoreAndForwardPublisher;
import io.iiotroutes.mqtt.SessionMqttClient;
import io.iiotroutes.tsdb.EmbeddedQuestDb;
import io.iiotroutes.ops.ConnectionHealthCheck;
import io.iiotroutes.ops.IngestHealthCheck;
import io.iiotroutes.server.IngestStall;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.spi.InflightRepository;
import io.iiotroutes.ops.RemoteJmx;
import io.iiotroutes.ops.SafeRouteReload;
import io.iiotroutes.ops.WebAuth;
import io.iiotroutes.ops.WebHardening;
import io.iiotroutes.server.LiveClients;
import io.iiotroutes.server.LiveDecimator;
import io.iiotroutes.server.PipelineApi;
import io.iiotroutes.server.PipelineStats;
import io.iiotroutes.tsdb.SynchronousWrites;
import io.iiotroutes.tsdb.TsdbPing;
import io.iiotroutes.tsdb.WriteMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.health.HealthCheckRegistry;
import io.iiotroutes.server.AlarmEvaluator;
import io.iiotroutes.server.AlarmStateFile;
import io.iiotroutes.server.ChannelCatalog;
import io.iiotroutes.server.DashboardApi;
import io.iiotroutes.server.DeadLetters;
import io.iiotroutes.server.IngestLimits;
import io.iiotroutes.server.NodeMonitor;
import io.iiotroutes.tsdb.HistoryQuery;
import io.iiotroutes.tsdb.InfluxQlHistory;
import io.iiotroutes.tsdb.QuestDbHistory;
import io.iiotroutes.server.WriteBatcher;
import io.iiotroutes.tsdb.TsdbHttpClients;
import io.iiotroutes.tsdb.TsdbRefusals;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.handler.StaticHandler;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.spi.PropertiesComponent;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.SocketFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** The account the runtime makes on its embedded broker for its own server clients. */
    static final String RUNTIME_ACCOUNT = "iiot-runtime";

    private final Mode mode;
    private EmbeddedMqttBroker broker;
    private SocketFactory socketFactory;
    private String usersFile;
    private EmbeddedQuestDb tsdb;
    private RemoteJmx remoteJmx;
    private String webToken;
    private Path webTokenFile;
    private final List<EdgeNode> edgeNodes = new ArrayList<>();
    private final List<StoreAndForwardPublisher> edgePublishers = new ArrayList<>();

    public IiotRuntime(Mode mode) {
        this.mode = mode;
    }

    /**
     * The demo runtime for a Camel CLI run ({@code camel run ... --prop camel.main.configurationClasses=...}): camel
     * run binds configuration classes given by name after its main listeners were asked to prepare, but before it
     * configures the components from the properties, so the runtime prepares here and completes once the routes
     * are running.
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

    /** Before the route files are read: embedded servers, clients and state the routes refer to. */
    void prepare(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Path dataDir = Path.of(required(properties, "iiot.data.dir"));
        try {
            context.addStartupListener(new ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                    // the HTTP server runs, the routes do not yet: guard the web port before anything is served
                    if (mode.runsServer()) {
                        guardWeb(ctx, ctx.getPropertiesComponent());
                    }
                    unmeterRoutes(ctx, ctx.getPropertiesComponent());
                    // the 'ingest' check asks how long the oldest message has been in flight: Camel keeps that only
                    // while browsing is on (set earlier, or through camel.main.inflightRepositoryBrowseEnabled, it
                    // did not reach the repository the routes use)
                    ctx.getInflightRepository().setInflightBrowseEnabled(true);
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                    onFullyStarted(ctx);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }

        if (context.getRegistry().lookupByName("meterRegistry") == null) { // started by the Camel CLI, not IiotApplication
            context.getRegistry().bind("meterRegistry", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        }
        startRemoteJmx(context, properties);
        watchRouteFiles(context, properties);
        if (mode.runsServer()) {
            webToken = resolveWebToken(properties, dataDir);
            if (optional(properties, "iiot.mqtt.url").isEmpty()) {
                startEmbeddedBroker(context, properties, dataDir);
            }
        }
        // every MQTT client of the process: credentials (own accounts of the embedded broker, or from the
        // environment for an external one) and plain or TLS sockets by the URL's scheme
        MqttCredentials.apply(context, properties);
        socketFactory = MqttTransport.socketFactory(properties);
        context.getRegistry().bind("mqttSocketFactory", socketFactory);
        if (mode.runsServer()) {
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
            bindServerState(context, properties);
            bindWriteBatcher(context, properties);
            MqttConnectionOptions mqttOptions = bindServerMqttClient(context, properties);
            Duration startupWait = Duration.ofSeconds(Long.parseLong(required(properties, "iiot.server.startup-wait-seconds")));
            boolean requireServices = Boolean.parseBoolean(required(properties, "iiot.server.require-services"));
            if (requireServices && broker == null) {
                RequiredServices.awaitBroker(required(properties, "iiot.mqtt.url"),
                        required(properties, "iiot.server.client-id"), mqttOptions, startupWait);
            }
            if (requireServices && tsdb == null) {
                RequiredServices.awaitTsdb(required(properties, "iiot.tsdb.url"),
                        context.getRegistry().lookupByName("tsdbClient"), startupWait);
            }
            bindDashboard(context, properties);
            bindDashboardApi(context, properties);
            Vertx vertx = Vertx.vertx();
            context.getRegistry().bind("vertx", vertx);
            StopWithContext.register(context, "Vert.x",
                    () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
    }

    /**
     * The embedded broker, with authentication and per-account topic rules: accounts from the users file
     * (iiot.broker.users-file), plus one made for this run for the process's own server clients unless
     * iiot.mqtt.username is set. Without a users file no other client can log in (demo nodes get accounts when
     * they start, see {@link #startPublisher}).
     */
    private void startEmbeddedBroker(CamelContext context, PropertiesComponent properties, Path dataDir) {
        String site = required(properties, "iiot.site");
        usersFile = optional(properties, "iiot.broker.users-file").orElse(null);
        BrokerAccounts accounts = usersFile != null ? BrokerAccounts.load(Path.of(usersFile), site) : new BrokerAccounts(site);
        if (optional(properties, "iiot.mqtt.username").isEmpty()) {
            char[] password = PasswordHash.randomPassword();
            accounts.add(RUNTIME_ACCOUNT, BrokerRole.SERVER, site, password);
            properties.addOverrideProperty("iiot.mqtt.username", RUNTIME_ACCOUNT);
            properties.addOverrideProperty("iiot.mqtt.password", new String(password));
        }
        TopicRules rules = new TopicRules(
                List.of("iiot/v1/#", required(properties, "iiot.legacy.subscription")),
                // dead letters, and alarm events (iiot/v1/{site}/{node}/alarm, routes/alarms.camel.yaml)
                List.of(required(properties, "iiot.server.deadletter-topic"), "iiot/v1/+/+/alarm"));
        BrokerSecurity security = new BrokerSecurity(accounts, rules,
                Boolean.parseBoolean(optional(properties, "iiot.broker.allow-anonymous").orElse("false")));
        BrokerSettings settings = new BrokerSettings(
                required(properties, "iiot.broker.host"),
                Integer.parseInt(required(properties, "iiot.broker.port")),
                Boolean.parseBoolean(required(properties, "iiot.broker.persistent")),
                Long.parseLong(required(properties, "iiot.broker.max-queued-messages")),
                Integer.parseInt(required(properties, "iiot.broker.server-receive-maximum")));
        Optional<String> tlsPort = optional(properties, "iiot.broker.tls.port");
        if (tlsPort.isPresent()) {
            String keystore = optional(properties, "iiot.broker.tls.keystore").orElseThrow(() -> new IllegalArgumentException(
                    "iiot.broker.tls.port is set but iiot.broker.tls.keystore is not"));
            String password = optional(properties, "iiot.broker.tls.keystore-password").orElseThrow(() ->
                    new IllegalArgumentException("iiot.broker.tls.port is set but no keystore password: set the environment variable "
                            + IiotApplication.environmentName("iiot.broker.tls.keystore-password")));
            settings = settings.withTls(new BrokerSettings.TlsListener(Integer.parseInt(tlsPort.get()), Path.of(keystore),
                    password.toCharArray(), Boolean.parseBoolean(optional(properties, "iiot.broker.tls.required").orElse("false"))));
            if (optional(properties, "iiot.mqtt.tls.truststore").isEmpty()) {
                // the process's own clients trust the embedded broker's certificate
                properties.addOverrideProperty("iiot.mqtt.tls.truststore", keystore);
                properties.addOverrideProperty("iiot.mqtt.tls.truststore-password", password);
            }
        }
        broker = new EmbeddedMqttBroker(dataDir.resolve("broker"), settings, security);
        broker.start();
        StopWithContext.register(context, "embedded MQTT broker", broker::stop);
        properties.addOverrideProperty("iiot.mqtt.url", broker.getUrl());
    }

    /** Live reload of the mode's route folder (iiot.routes.reload), keeping a file's routes when it does not load. */
    private void watchRouteFiles(CamelContext context, PropertiesComponent properties) {
        if (!Boolean.parseBoolean(optional(properties, "iiot.routes.reload").orElse("false"))) {
            return;
        }
        Path folder = Path.of(required(properties, mode.runsServer() ? "iiot.routes.dir" : "iiot.edge.routes-dir"));
        try {
            context.addService(new SafeRouteReload(folder, "*.camel.yaml"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot watch the route folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Opt-in remote JMX (iiot.jmx.remote.enabled), always with a username and password (the password from the environment). */
    private void startRemoteJmx(CamelContext context, PropertiesComponent properties) {
        if (!Boolean.parseBoolean(optional(properties, "iiot.jmx.remote.enabled").orElse("false"))) {
            return;
        }
        String password = optional(properties, "iiot.jmx.remote.password").orElseThrow(() -> new IllegalArgumentException(
                "iiot.jmx.remote.enabled is true but no password is set: set the environment variable "
                        + IiotApplication.environmentName("iiot.jmx.remote.password")));
        remoteJmx = new RemoteJmx(required(properties, "iiot.jmx.remote.host"),
                Integer.parseInt(required(properties, "iiot.jmx.remote.port")),
                required(properties, "iiot.jmx.remote.username"), password);
        try {
            remoteJmx.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start remote JMX on " + required(properties, "iiot.jmx.remote.host")
                    + ":" + required(properties, "iiot.jmx.remote.port") + ": " + e.getMessage(), e);
        }
        StopWithContext.register(context, "remote JMX", remoteJmx::close);
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
        if (broker != null && broker.security().isPresent()) {
            // demo: the node gets its own account on this process's broker, so the topic rules hold for it too
            char[] password = PasswordHash.randomPassword();
            broker.security().get().accounts().add(node.nodeId(), BrokerRole.NODE, node.site(), password);
            settings = settings.withCredentials(node.nodeId(), password);
        } else if (user.isPresent()) {
            settings = settings.withCredentials(user.get(),
                    optional(properties, "iiot.mqtt.password").map(String::toCharArray).orElse(null));
        }
        StoreAndForwardPublisher publisher = new StoreAndForwardPublisher(settings, new JsonMessageCodec(), socketFactory);
        try {
            publisher.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the journal of node " + node.nodeId() + ": " + e.getMessage(), e);
        }
        edgePublishers.add(publisher);
        StopWithContext.register(context, "edge publisher " + node.nodeId(), publisher::close);
        return publisher;
    }

    /**
     * Leaves the routes in iiot.metrics.unmetered-routes out of Camel's per-route meters: the hot path's
     * sub-routes (store, broadcast, alarm check) each cost a timer and String.format calls per message, ~8 % of
     * the server's CPU at 40,000 points/s, and their figures add nothing to server-ingest-receive's. Runs before
     * the routes start, when the route policy decides what to meter.
     */
    private static void unmeterRoutes(CamelContext context, PropertiesComponent properties) {
        optional(properties, "iiot.metrics.unmetered-routes").filter(ids -> !ids.isBlank()).ifPresent(ids ->
                context.getRoutePolicyFactories().stream()
                        .filter(MicrometerRoutePolicyFactory.class::isInstance)
                        .map(MicrometerRoutePolicyFactory.class::cast)
                        .forEach(factory -> factory.getPolicyConfiguration().setExcludePattern(ids.replace(" ", ""))));
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        complete(main.getCamelContext());
    }

    /** After the route files are read: health checks, and one acquisition route per edge node from the template. */
    void complete(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        if (mode.runsServer()) {
            registerServerHealthChecks(context, properties);
        }
        if (!mode.runsEdge()) {
            return;
        }
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
            observeEdgePublisher(context, node.nodeId(), publisher);
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

    /**
     * The server's state (what it knows of the nodes, dead letters, browsers, what was last sent live, pipeline
     * counters; alarms in {@link #bindDashboard}) lives here rather
     * than in the route files' beans: a route file reloaded at runtime re-creates its beans, and this must survive.
     */
    private static void bindServerState(CamelContext context, PropertiesComponent properties) {
        MeterRegistry metrics = meterRegistry(context);
        NodeMonitor nodeMonitor = new NodeMonitor(ingestLimits(properties).maxGapRangesPerNode());
        nodeMonitor.bindMetrics(metrics);
        context.getRegistry().bind("nodeMonitor", nodeMonitor);
        DeadLetters deadLetters = new DeadLetters(
                Integer.parseInt(required(properties, "iiot.server.deadletter-max-payload-chars")));
        deadLetters.bindMetrics(metrics);
        context.getRegistry().bind("deadLetters", deadLetters);
        LiveClients liveClients = new LiveClients();
        liveClients.bindMetrics(metrics);
        context.getRegistry().bind("liveClients", liveClients);
        context.getRegistry().bind("liveDecimator",
                new LiveDecimator(Integer.parseInt(required(properties, "iiot.web.live.max-rate-hz"))));
        context.getRegistry().bind("pipelineStats",
                new PipelineStats(required(properties, "iiot.site"), required(properties, "iiot.server.client-id")));
    }

    /** The per-node resource limits (iiot.server.limits.*, defaults in iiot-common.properties). */
    static IngestLimits ingestLimits(PropertiesComponent properties) {
        return new IngestLimits(
                limit(properties, IngestLimits.NODES), limit(properties, IngestLimits.NODES_PER_SITE),
                limit(properties, IngestLimits.CHANNELS_PER_NODE), limit(properties, IngestLimits.CHANNELS),
                limit(properties, IngestLimits.GAP_RANGES_PER_NODE));
    }

    private static int limit(PropertiesComponent properties, String name) {
        return Integer.parseInt(required(properties, IngestLimits.PREFIX + name));
    }

    static MeterRegistry meterRegistry(CamelContext context) {
        return context.getRegistry().lookupByNameAndType("meterRegistry", MeterRegistry.class);
    }

    static WriteMetrics writeMetrics(CamelContext context) {
        return new WriteMetrics(meterRegistry(context));
    }

    /**
     * Readiness of what the server depends on: its two MQTT sessions and the TSDB. DOWN while the broker or the
     * TSDB is away (messages then wait in the broker's persistent session, nothing is lost), UP once back.
     */
    private static void registerServerHealthChecks(CamelContext context, PropertiesComponent properties) {
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        SessionMqttClient data = context.getRegistry().lookupByNameAndType("serverMqttClient", SessionMqttClient.class);
        SessionMqttClient status = context.getRegistry().lookupByNameAndType("serverStatusClient", SessionMqttClient.class);
        String url = required(properties, "iiot.mqtt.url");
        // ready only once both subscriptions are confirmed: a node that starts on the first "ready" loses nothing
        health.register(new ConnectionHealthCheck("mqtt-broker", () -> {
            boolean up = data.isSubscribed() && status.isSubscribed();
            return (up ? ConnectionHealthCheck.Probe.up("connected to " + url + ", subscribed")
                    : data.isConnected() && status.isConnected()
                    ? ConnectionHealthCheck.Probe.down("connected to " + url + ", not subscribed yet")
                    : ConnectionHealthCheck.Probe.down("not connected to " + url + " (reconnecting)"))
                    .with(Map.of("data", data.isSubscribed(), "status", status.isSubscribed()));
        }));
        String tsdbUrl = required(properties, "iiot.tsdb.url");
        Object client = context.getRegistry().lookupByName("tsdbClient");
        // a TSDB that accepts the connection and never answers must not hang the health endpoint
        Duration pingTimeout = Duration.ofSeconds(Long.parseLong(required(properties, "iiot.server.health.ping-timeout-seconds")));
        health.register(new ConnectionHealthCheck("tsdb", () -> TsdbPing.ping(client, pingTimeout)
                ? ConnectionHealthCheck.Probe.up("answering at " + tsdbUrl)
                : ConnectionHealthCheck.Probe.down("not answering at " + tsdbUrl + " within " + pingTimeout.toSeconds() + " s")));
        IngestStall stall = new IngestStall(Duration.ofSeconds(Long.parseLong(required(properties,
                "iiot.server.health.stall-seconds"))));
        health.register(new IngestHealthCheck(stall, () -> ingestSample(context), () -> TsdbPing.ping(client, pingTimeout)));
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

    /** Per node: its broker connection and what waits in its journal (DOWN is survivable: the journal fills). */
    private static void observeEdgePublisher(CamelContext context, String nodeId, StoreAndForwardPublisher publisher) {
        HealthCheckRegistry.get(context).register(new ConnectionHealthCheck("mqtt-broker-" + nodeId, () -> {
            PublisherStats stats = publisher.stats();
            Map<String, Object> details = Map.of("backlog", stats.backlog(), "backlogBytes", stats.backlogBytes(),
                    "dropped", stats.dropped());
            return (stats.connected() ? ConnectionHealthCheck.Probe.up("connected")
                    : ConnectionHealthCheck.Probe.down("broker unreachable, journaling")).with(details);
        }));
        Tags tags = Tags.of("node", nodeId);
        MeterRegistry metrics = meterRegistry(context);
        Gauge.builder("iiot.edge.backlog", publisher, p -> p.stats().backlog()).tags(tags)
                .description("Messages waiting in the store-and-forward journal").register(metrics);
        Gauge.builder("iiot.edge.backlog.bytes", publisher, p -> p.stats().backlogBytes()).tags(tags)
                .description("Bytes waiting in the store-and-forward journal").register(metrics);
        Gauge.builder("iiot.edge.connected", publisher, p -> p.stats().connected() ? 1 : 0).tags(tags)
                .description("1 while the node's MQTT connection is up").register(metrics);
        FunctionCounter.builder("iiot.edge.published", publisher, p -> p.stats().published()).tags(tags)
                .description("Messages delivered live (PUBACK success)").register(metrics);
        FunctionCounter.builder("iiot.edge.replayed", publisher, p -> p.stats().replayed()).tags(tags)
                .description("Journaled messages delivered later").register(metrics);
        FunctionCounter.builder("iiot.edge.dropped", publisher, p -> p.stats().dropped()).tags(tags)
                .description("Journaled messages lost to the overflow policy").register(metrics);
        FunctionCounter.builder("iiot.edge.refused", publisher, p -> p.stats().refused()).tags(tags)
                .description("Publishes the broker refused (PUBACK reason code >= 0x80)").register(metrics);
    }

    /**
     * What the page and the alarms need: the channel configuration (the node files of {@code iiot.server.nodes},
     * read with the edge's parser), the alarm evaluator given their limits, and the TSDB history query.
     */
    private void bindDashboard(CamelContext context, PropertiesComponent properties) {
        ChannelCatalog catalog;
        try {
            catalog = ChannelCatalog.load(optional(properties, "iiot.server.nodes").orElse(""), ingestLimits(properties));
        } catch (EdgeConfigException e) {
            throw new IllegalArgumentException("iiot.server.nodes: " + e.getMessage(), e);
        }
        catalog.bindMetrics(meterRegistry(context));
        AlarmEvaluator alarms = new AlarmEvaluator(Integer.parseInt(required(properties, "iiot.server.alarm-recent-events")));
        catalog.configureAlarms(alarms);
        // active alarms and their acknowledgements survive a restart (docs/architecture.md, alarms)
        Path alarmFile = Path.of(required(properties, "iiot.data.dir")).resolve("server").resolve("alarms.json");
        AlarmStateFile alarmState = new AlarmStateFile(alarmFile);
        int restored = alarms.restore(alarmState.load());
        if (restored > 0) {
            LOG.info("{} active alarm(s) restored from {}", restored, alarmFile);
        }
        alarms.onChange(alarmState::save);
        context.getRegistry().bind("channelCatalog", catalog);
        context.getRegistry().bind("alarms", alarms);
        context.getRegistry().bind("historyQuery", historyQuery(properties));
    }

    /** The REST API's bean, over the server state and the dashboard's parts bound before it. */
    private static void bindDashboardApi(CamelContext context, PropertiesComponent properties) {
        var registry = context.getRegistry();
        registry.bind("dashboardApi", new DashboardApi(
                registry.lookupByNameAndType("nodeMonitor", NodeMonitor.class),
                registry.lookupByNameAndType("channelCatalog", ChannelCatalog.class),
                registry.lookupByNameAndType("alarms", AlarmEvaluator.class),
                registry.lookupByNameAndType("historyQuery", HistoryQuery.class),
                Integer.parseInt(required(properties, "iiot.api.max-points"))));
        registry.bind("pipelineApi", new PipelineApi(registry.lookupByNameAndType("deadLetters", DeadLetters.class),
                registry.lookupByNameAndType("channelCatalog", ChannelCatalog.class)));
    }

    /** SQL for QuestDB, InfluxQL for InfluxDB (1.x, or 2.x through its v1 compatibility API). */
    static HistoryQuery historyQuery(PropertiesComponent properties) {
        String language = optional(properties, "iiot.tsdb.query").orElse("auto").toLowerCase(Locale.ROOT);
        if (language.equals("auto")) {
            language = TsdbV1Setup.selected(properties) ? "influxql" : "sql";
        }
        String url = required(properties, "iiot.tsdb.url");
        return switch (language) {
            case "sql" -> new QuestDbHistory(url);
            case "influxql" -> {
                Optional<String> token = optional(properties, "iiot.tsdb.token");
                Optional<String> user = optional(properties, "iiot.tsdb.username");
                String authorization = token.map(InfluxQlHistory::token).orElse(user.map(u -> InfluxQlHistory.basic(u,
                        optional(properties, "iiot.tsdb.password").orElse(""))).orElse(null));
                yield new InfluxQlHistory(url, required(properties, "iiot.tsdb.database"),
                        optional(properties, "iiot.tsdb.retention-policy").orElse(null), authorization);
            }
            default -> throw new IllegalArgumentException("unknown iiot.tsdb.query '" + language
                    + "': use auto, sql (QuestDB) or influxql (InfluxDB)");
        };
    }

    private void bindTsdbClient(CamelContext context, PropertiesComponent properties) {
        InfluxDBClientOptions.Builder options = InfluxDBClientOptions.builder()
                .url(required(properties, "iiot.tsdb.url"))
                .okHttpClient(TsdbHttpClients.builder())
                .org(required(properties, "iiot.tsdb.org"))
                .bucket(required(properties, "iiot.tsdb.bucket"));
        optional(properties, "iiot.tsdb.token").ifPresent(token -> options.authenticateToken(token.toCharArray()));
        InfluxDBClient client = SynchronousWrites.wrap(InfluxDBClientFactory.create(options.build()), writeMetrics(context));
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

    private MqttConnectionOptions bindServerMqttClient(CamelContext context, PropertiesComponent properties) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        // MQTT 5: without an expiry interval the broker drops the session at disconnect, however clean start is set
        options.setSessionExpiryInterval(Long.parseLong(required(properties, "iiot.server.session-expiry-seconds")));
        options.setKeepAliveInterval(30);
        // a reconnect attempt that hangs must give up soon, so the next attempt can succeed
        options.setConnectionTimeout(10);
        options.setSocketFactory(socketFactory);
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
        return options;
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

    /**
     * Before any other handler of the web port: security headers and cross-origin refusal (ops.WebHardening), then,
     * when web authentication is on, the token or session check (ops.WebAuth).
     */
    private void guardWeb(CamelContext context, PropertiesComponent properties) {
        Set<String> allowed = new HashSet<>();
        for (String origin : optional(properties, "iiot.web.allowed-origins").orElse("").split(",")) {
            if (!origin.isBlank()) {
                allowed.add(origin.trim());
            }
        }
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null) {
            throw new IllegalStateException("camel.server.enabled must be true in server and demo modes");
        }
        server.getRouter().route().order(Integer.MIN_VALUE).handler(new WebHardening(allowed));
        if (webToken != null) {
            server.getRouter().route().order(Integer.MIN_VALUE + 1).handler(new WebAuth(webToken,
                    Duration.ofHours(Long.parseLong(required(properties, "iiot.web.session-hours")))));
        }
    }

    /**
     * Whether the web port asks for a token: iiot.web.auth=token always, none never, auto (default) when the port is
     * reachable from other hosts (iiot.web.host not a loopback address). The token comes from the environment
     * (IIOT_WEB_TOKEN); a demo without one gets a random one for the run, written to {data}/web-token.
     */
    private String resolveWebToken(PropertiesComponent properties, Path dataDir) {
        String auth = optional(properties, "iiot.web.auth").orElse("auto").toLowerCase(Locale.ROOT);
        String host = required(properties, "iiot.web.host");
        boolean on = switch (auth) {
            case "token" -> true;
            case "none" -> false;
            case "auto" -> !isLoopback(host);
            default -> throw new IllegalArgumentException("unknown iiot.web.auth '" + auth + "': use auto, token or none");
        };
        if (!on) {
            return null;
        }
        Optional<String> configured = optional(properties, "iiot.web.token");
        if (configured.isPresent()) {
            if (configured.get().length() < 16) {
                throw new IllegalArgumentException("the web token (IIOT_WEB_TOKEN) must have at least 16 characters");
            }
            return configured.get();
        }
        if (mode != Mode.DEMO) {
            throw new IllegalArgumentException("the web port " + host + " is reachable from other hosts but no web token"
                    + " is set: set the environment variable IIOT_WEB_TOKEN (16+ characters), or iiot.web.auth=none");
        }
        String generated = WebAuth.randomToken();
        Path file = dataDir.resolve("web-token");
        try {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, generated + "\n");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot write the generated web token to " + file + ": " + e.getMessage(), e);
        }
        webTokenFile = file;
        return generated;
    }

    static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    private static void mountStaticWebFolder(CamelContext context, String folder) {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null) {
            throw new IllegalStateException("camel.server.enabled must be true in server and demo modes");
        }
        // an unknown /api path answers in JSON like the rest of the API, not with the static 404 page
        server.getRouter().route("/api/*")
                .order(Integer.MAX_VALUE - 1)
                .handler(ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                        .end("{\"error\":\"no such API resource: " + ctx.normalizedPath().replaceAll("[^A-Za-z0-9/_.-]", "?")
                                + "\",\"status\":404}"));
        // A dedicated folder on the classpath, never the working directory: camel.server.staticEnabled would
        // serve pom.xml and the properties files, and corrupts binary files.
        server.getRouter().route("/*")
                .order(Integer.MAX_VALUE)
                .handler(StaticHandler.create(folder).setIndexPage("index.html"));
    }

    private String banner(PropertiesComponent properties) {
        StringBuilder text = new StringBuilder("\n\n  IIoT Routes is running in ").append(mode.id()).append(" mode\n");
        if (mode.runsServer()) {
            text.append("  Web login     : ").append(webToken == null ? "none (iiot.web.host is a loopback address)"
                    : webTokenFile != null ? "token generated for this run, in " + webTokenFile
                    : "token from IIOT_WEB_TOKEN").append('\n');
            text.append("  Live web page : http://").append(displayHost(required(properties, "iiot.web.host")))
                    .append(':').append(required(properties, "iiot.web.port")).append("/\n");
        }
        text.append("  MQTT broker   : ").append(required(properties, "iiot.mqtt.url"))
                .append(broker != null ? "  (embedded HiveMQ CE)" : "").append('\n');
        if (broker != null) {
            text.append("  MQTT access   : ").append(brokerAccess()).append('\n');
        }
        if (mode.runsServer()) {
            text.append("  TSDB          : ").append(required(properties, "iiot.tsdb.url"))
                    .append(tsdb != null ? "  (embedded QuestDB: open it for the SQL console, table 'reading')" : "")
                    .append('\n');
        }
        String observe = mode.runsServer()
                ? "http://" + displayHost(required(properties, "iiot.web.host")) + ":" + required(properties, "iiot.web.port")
                : "http://" + displayHost(required(properties, "iiot.edge.observe-host")) + ":"
                + required(properties, "iiot.edge.observe-port");
        text.append("  Health        : ").append(observe).append("/observe/health\n");
        text.append("  Metrics       : ").append(observe).append("/observe/metrics  (Prometheus)\n");
        text.append("  JMX           : org.apache.camel:context=").append(required(properties, "camel.main.name"))
                .append(",*  ").append(remoteJmx != null ? "remote at " + jmxUrl() : "(local; remote JMX off)")
                .append('\n');
        if (!edgeNodes.isEmpty()) {
            text.append("  Edge nodes    : ").append(Arrays.toString(edgeNodes.stream().map(EdgeNode::nodeId).toArray()))
                    .append('\n');
        }
        return text.append("  Stop with Ctrl+C\n").toString();
    }

    private String brokerAccess() {
        BrokerSecurity security = broker.security().orElseThrow();
        String who = usersFile != null
                ? "accounts of " + usersFile + ", topic rules per role"
                : mode.runsEdge() ? "accounts generated for this run (its nodes and server only)"
                : "only this process's own clients (no iiot.broker.users-file: every node is refused)";
        String tls = broker.getTlsUrl().map(url -> "; TLS at " + url
                + (broker.getUrl().startsWith("ssl:") ? " (required: plain TCP off)" : "")).orElse("");
        return (security.allowsAnonymous() ? "ANONYMOUS CLIENTS ALLOWED (iiot.broker.allow-anonymous); " : "") + who + tls;
    }

    private String jmxUrl() {
        try {
            return remoteJmx.serviceUrl().toString();
        } catch (IOException e) {
            return "?";
        }
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
