package io.iiotroutes.app.config;

import io.iiotroutes.node.NodeConfigException;
import io.iiotroutes.server.AckTracker;
import io.iiotroutes.server.AlarmEvaluator;
import io.iiotroutes.server.AlarmReplication;
import io.iiotroutes.server.AlarmStateReport;
import io.iiotroutes.server.AlarmStateFile;
import io.iiotroutes.server.ChannelCatalog;
import io.iiotroutes.server.CompletenessViews;
import io.iiotroutes.server.DashboardApi;
import io.iiotroutes.server.DeadLetters;
import io.iiotroutes.server.IngestLimits;
import io.iiotroutes.server.LastHeardFile;
import io.iiotroutes.server.LiveClients;
import io.iiotroutes.server.LiveDecimator;
import io.iiotroutes.server.NodeMonitor;
import io.iiotroutes.server.PipelineApi;
import io.iiotroutes.server.PipelineStats;
import io.iiotroutes.server.ReplicaAcks;
import io.iiotroutes.tsdb.HistoryQuery;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.ThreadPoolProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the server knows and remembers: the nodes and their completeness, what it stored and has yet to acknowledge,
 * the channel catalogue from the node files (and the per-node limits on what nodes add), alarms (restored after a
 * restart), dead letters, browsers, what was last sent live, pipeline counters, and the REST API's beans over them.
 * Bound here rather than as YAML beans: a route file reloaded at runtime re-creates its beans, and this state must
 * survive. The beans made from the settings alone are {@code @BindToRegistry} methods; the state the others are
 * made over is built in order by {@link #configure}.
 */
public final class ServerStateConfiguration implements IiotConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ServerStateConfiguration.class);

    private final IiotSettings settings;
    private final MeterRegistry metrics;
    private final Supplier<HistoryQuery> history;

    /** @param history the TSDB's history query ({@code TsdbConfiguration}'s, configured before this one) */
    public ServerStateConfiguration(IiotSettings settings, MeterRegistry metrics, Supplier<HistoryQuery> history) {
        this.settings = settings;
        this.metrics = metrics;
        this.history = history;
    }

    @BindToRegistry("liveClients")
    public LiveClients liveClients() {
        LiveClients liveClients = new LiveClients();
        liveClients.bindMetrics(metrics);
        return liveClients;
    }

    @BindToRegistry("liveDecimator")
    public LiveDecimator liveDecimator() {
        return new LiveDecimator(settings.web().liveMaxRateHz());
    }

    @BindToRegistry("ackTracker")
    public AckTracker ackTracker() {
        return new AckTracker(settings.server().clientId());
    }

    @BindToRegistry("pipelineStats")
    public PipelineStats pipelineStats() {
        return new PipelineStats(settings.server().site(), settings.server().clientId());
    }

    @Override
    public void configure(CamelContext context) {
        ServerSettings server = settings.server();
        Registry registry = context.getRegistry();
        IngestLimits limits = server.limits();

        NodeMonitor nodeMonitor = new NodeMonitor(limits.maxGapRangesPerNode(), server.replicated());
        nodeMonitor.bindMetrics(metrics);
        registry.bind("nodeMonitor", nodeMonitor);
        registerRetryScheduler(context);
        DeadLetters deadLetters = new DeadLetters(server.deadletterMaxPayloadChars());
        deadLetters.bindMetrics(metrics);
        registry.bind("deadLetters", deadLetters);

        ChannelCatalog catalog;
        try {
            catalog = ChannelCatalog.load(server.nodes(), limits);
        } catch (NodeConfigException e) {
            throw new IllegalArgumentException("iiot.server.nodes: " + e.getMessage(), e);
        }
        catalog.bindMetrics(metrics);
        registry.bind("channelCatalog", catalog);
        deadLetters.tagOnlyAdmitted(catalog);
        nodeMonitor.countForgottenGapRanges(catalog::gapRangesForgotten);
        // configured nodes are reported silent even if they never speak, and silence counts across restarts
        nodeMonitor.expect(catalog.nodes().entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList());
        nodeMonitor.rememberLastHeard(new LastHeardFile(serverDataDir().resolve("last-heard.json"),
                limits.maxUnconfiguredNodes() + catalog.nodes().size()));
        AlarmEvaluator alarms = restoredAlarms(server, catalog);
        registry.bind("alarms", alarms);
        registry.bind("alarmStateReport", new AlarmStateReport(alarms));
        // what the other replicas stored and how they left the alarms (routes/replicas.camel.yaml, alarms.camel.yaml)
        registry.bind("replicaAcks", new ReplicaAcks(nodeMonitor, server.clientId()));
        registry.bind("completenessViews", new CompletenessViews(nodeMonitor, server.clientId()));
        registry.bind("alarmReplication", new AlarmReplication(alarms));

        registry.bind("dashboardApi", new DashboardApi(nodeMonitor, catalog, alarms, history.get(), server.apiMaxPoints()));
        registry.bind("pipelineApi", new PipelineApi(deadLetters, catalog));
    }

    /** The alarm evaluator with every configured channel's limits, and the alarms active before a restart. */
    private AlarmEvaluator restoredAlarms(ServerSettings server, ChannelCatalog catalog) {
        AlarmEvaluator alarms = new AlarmEvaluator(server.alarmRecentEvents());
        if (server.replicated()) {
            // a replica that starts (or restarts) mid-alarm takes the others' state rather than raising it again
            alarms.holdFirstChanges(server.replicaAlarmHoldMillis());
        }
        catalog.configureAlarms(alarms);
        // active alarms and their acknowledgements survive a restart (docs/architecture.md, alarms)
        Path file = serverDataDir().resolve("alarms.json");
        AlarmStateFile state = new AlarmStateFile(file);
        int restored = alarms.restore(state.load());
        if (restored > 0) {
            LOG.info("{} active alarm(s) restored from {}", restored, file);
        }
        alarms.onChange(state::save);
        return alarms;
    }

    private Path serverDataDir() {
        return settings.dataDir().resolve("server");
    }

    /** The thread pool profile the server's error handler waits on between retries (routes/error-handling.camel.yaml). */
    static final String RETRY_SCHEDULER = "iiotRetryScheduler";

    /**
     * Camel's default error-handler scheduler rejects a wait beyond 1,000 queued ones, and the message it rejects
     * fails outside the retry policy: unacknowledged for good, and with the broker's in-flight window full the server
     * stops. During a TSDB outage up to iiot.server.batch.max-messages messages wait side by side, so the retry waits
     * queue without a limit of their own: the receive maximum bounds them.
     */
    private static void registerRetryScheduler(CamelContext context) {
        ThreadPoolProfile profile = context.getExecutorServiceManager().getDefaultThreadPoolProfile().clone();
        profile.setId(RETRY_SCHEDULER);
        profile.setDefaultProfile(false);
        profile.setMaxQueueSize(-1);
        context.getExecutorServiceManager().registerThreadPoolProfile(profile);
    }
}
