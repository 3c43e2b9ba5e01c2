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
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the server knows and remembers: the nodes and their completeness, what it stored and has yet to acknowledge, the channel catalogue from the node files
 * (and the per-node limits on what nodes add), alarms (restored after a restart), dead letters, browsers, what
 * was last sent live, pipeline counters, and the REST API's beans over them. Bound here rather than as YAML beans:
 * a route file reloaded at runtime re-creates its beans, and this state must survive.
 */
public final class ServerStateConfiguration implements IiotConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ServerStateConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        Settings settings = Settings.of(context);
        Registry registry = context.getRegistry();
        MeterRegistry metrics = ObservabilityConfiguration.meterRegistry(context);
        IngestLimits limits = ingestLimits(settings);

        NodeMonitor nodeMonitor = new NodeMonitor(limits.maxGapRangesPerNode(), settings.flag(ReplicasConfiguration.REPLICATED));
        nodeMonitor.bindMetrics(metrics);
        registry.bind("nodeMonitor", nodeMonitor);
        DeadLetters deadLetters = new DeadLetters(settings.integer("iiot.server.deadletter-max-payload-chars"));
        deadLetters.bindMetrics(metrics);
        registry.bind("deadLetters", deadLetters);
        LiveClients liveClients = new LiveClients();
        liveClients.bindMetrics(metrics);
        registry.bind("liveClients", liveClients);
        registry.bind("liveDecimator", new LiveDecimator(settings.integer("iiot.web.live.max-rate-hz")));
        registry.bind("ackTracker", new AckTracker(settings.string("iiot.server.client-id")));
        registry.bind("pipelineStats", new PipelineStats(settings.string("iiot.site"), settings.string("iiot.server.client-id")));

        ChannelCatalog catalog;
        try {
            catalog = ChannelCatalog.load(settings.optional("iiot.server.nodes").orElse(""), limits);
        } catch (NodeConfigException e) {
            throw new IllegalArgumentException("iiot.server.nodes: " + e.getMessage(), e);
        }
        catalog.bindMetrics(metrics);
        registry.bind("channelCatalog", catalog);
        deadLetters.tagOnlyAdmitted(catalog);
        nodeMonitor.countForgottenGapRanges(catalog::gapRangesForgotten);
        // configured nodes are reported silent even if they never speak, and silence counts across restarts
        nodeMonitor.expect(catalog.nodes().entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList());
        nodeMonitor.rememberLastHeard(new LastHeardFile(serverDataDir(settings).resolve("last-heard.json"),
                limits.maxUnconfiguredNodes() + catalog.nodes().size()));
        AlarmEvaluator alarms = restoredAlarms(settings, catalog);
        registry.bind("alarms", alarms);
        registry.bind("alarmStateReport", new AlarmStateReport(alarms));
        // what the other replicas stored and how they left the alarms (routes/replicas.camel.yaml, alarms.camel.yaml)
        registry.bind("replicaAcks", new ReplicaAcks(nodeMonitor, settings.string("iiot.server.client-id")));
        registry.bind("completenessViews", new CompletenessViews(nodeMonitor, settings.string("iiot.server.client-id")));
        registry.bind("alarmReplication", new AlarmReplication(alarms));

        registry.bind("dashboardApi", new DashboardApi(nodeMonitor, catalog, alarms,
                registry.lookupByNameAndType(TsdbConfiguration.HISTORY, HistoryQuery.class),
                settings.integer("iiot.api.max-points")));
        registry.bind("pipelineApi", new PipelineApi(deadLetters, catalog));
    }

    /** The alarm evaluator with every configured channel's limits, and the alarms active before a restart. */
    private static AlarmEvaluator restoredAlarms(Settings settings, ChannelCatalog catalog) {
        AlarmEvaluator alarms = new AlarmEvaluator(settings.integer("iiot.server.alarm-recent-events"));
        if (settings.flag(ReplicasConfiguration.REPLICATED)) {
            // a replica that starts (or restarts) mid-alarm takes the others' state rather than raising it again
            alarms.holdFirstChanges(settings.number("iiot.server.replica-alarm-hold-ms"));
        }
        catalog.configureAlarms(alarms);
        // active alarms and their acknowledgements survive a restart (docs/architecture.md, alarms)
        Path file = serverDataDir(settings).resolve("alarms.json");
        AlarmStateFile state = new AlarmStateFile(file);
        int restored = alarms.restore(state.load());
        if (restored > 0) {
            LOG.info("{} active alarm(s) restored from {}", restored, file);
        }
        alarms.onChange(state::save);
        return alarms;
    }

    private static Path serverDataDir(Settings settings) {
        return Path.of(settings.string("iiot.data.dir")).resolve("server");
    }

    /** The per-node resource limits (iiot.server.limits.*). */
    static IngestLimits ingestLimits(Settings settings) {
        return new IngestLimits(limit(settings, IngestLimits.NODES), limit(settings, IngestLimits.NODES_PER_SITE),
                limit(settings, IngestLimits.CHANNELS_PER_NODE), limit(settings, IngestLimits.CHANNELS),
                limit(settings, IngestLimits.GAP_RANGES_PER_NODE));
    }

    private static int limit(Settings settings, String name) {
        return settings.integer(IngestLimits.PREFIX + name);
    }
}
