package io.iiotroutes.app.config;

import io.iiotroutes.edge.EdgeNode;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/** The lines that tell the user where to look, printed once everything runs; the last configuration of a mode. */
public final class BannerConfiguration implements IiotConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BannerConfiguration.class);

    private final String mode;
    private final boolean server;
    private final boolean edge;
    private final IiotSettings settings;
    private final BrokerConfiguration broker;
    private final TsdbConfiguration tsdb;
    private final WebConfiguration web;
    private final ObservabilityConfiguration observability;
    private final EdgeConfiguration nodes;

    /**
     * @param server whether the mode runs the server (then web, broker and TSDB are among its configurations)
     * @param edge   whether it runs edge nodes ({@code nodes})
     */
    public BannerConfiguration(String mode, boolean server, boolean edge, IiotSettings settings,
                               BrokerConfiguration broker, TsdbConfiguration tsdb, WebConfiguration web,
                               ObservabilityConfiguration observability, EdgeConfiguration nodes) {
        this.mode = mode;
        this.server = server;
        this.edge = edge;
        this.settings = settings;
        this.broker = broker;
        this.tsdb = tsdb;
        this.web = web;
        this.observability = observability;
        this.nodes = nodes;
    }

    @Override
    public void configure(CamelContext context) {
        // printed once everything runs
    }

    @Override
    public void fullyStarted(CamelContext context) {
        LOG.info(banner(Settings.of(context).string("camel.main.name")));
    }

    String banner(String contextName) {
        StringBuilder text = new StringBuilder("\n\n  IIoT Routes is running in ").append(mode).append(" mode\n");
        if (server) {
            WebSettings webSettings = settings.web();
            text.append("  Web login     : ").append(web.login()).append('\n')
                    .append("  Live web page : http://").append(displayHost(webSettings.host()))
                    .append(':').append(webSettings.port()).append("/\n");
        }
        text.append("  MQTT broker   : ").append(broker.mqtt().brokerUrl())
                .append(broker.broker().isPresent() ? "  (embedded HiveMQ CE)" : "").append('\n');
        if (broker.broker().isPresent()) {
            text.append("  MQTT access   : ").append(broker.access(edge)).append('\n');
            broker.viewerCommand().ifPresent(command -> text.append("  Watch MQTT    : ").append(command).append('\n'));
            broker.labNodeCommand().ifPresent(command -> text.append("  Add a node    : ").append(command).append('\n'));
        }
        if (server) {
            text.append("  TSDB          : ").append(tsdb.url())
                    .append(tsdb.tsdb().isPresent() ? "  (embedded QuestDB: open it for the SQL console, table 'reading')" : "")
                    .append('\n');
        }
        String observe = observability.observeUrl();
        text.append("  Health        : ").append(observe).append("/observe/health\n");
        text.append("  Metrics       : ").append(observe).append("/observe/metrics  (Prometheus)\n");
        text.append("  JMX           : org.apache.camel:context=").append(contextName)
                .append(",*  ").append(observability.remoteJmxUrl().map(url -> "remote at " + url)
                        .orElse("(local; remote JMX off)")).append('\n');
        text.append("  Camel CLI     : ").append(settings.observability().cliConnector()
                ? "bin/camel get route  (also ps, top, log, trace)"
                : "off (it costs a good part of a core); start with --iiot.cli.connector=true to use bin/camel get route")
                .append('\n');
        if (edge && !nodes.nodes().isEmpty()) {
            text.append("  Edge nodes    : ").append(Arrays.toString(nodes.nodes().stream().map(EdgeNode::nodeId).toArray()))
                    .append('\n');
        }
        return text.append("  Stop with Ctrl+C\n").toString();
    }

    static String displayHost(String host) {
        return "0.0.0.0".equals(host) || "127.0.0.1".equals(host) ? "localhost" : host;
    }
}
