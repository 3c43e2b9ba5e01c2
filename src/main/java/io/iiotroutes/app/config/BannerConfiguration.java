package io.iiotroutes.app.config;

import io.iiotroutes.edge.EdgeNode;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Optional;

/** The lines that tell the user where to look, printed once everything runs; the last configuration of a mode. */
public final class BannerConfiguration implements IiotConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BannerConfiguration.class);

    private final String mode;
    private final boolean server;
    private final boolean edge;
    private final BrokerConfiguration broker;
    private final Optional<TsdbConfiguration> tsdb;
    private final Optional<WebConfiguration> web;
    private final ObservabilityConfiguration observability;
    private final Optional<EdgeConfiguration> nodes;

    public BannerConfiguration(String mode, BrokerConfiguration broker, Optional<TsdbConfiguration> tsdb,
                               Optional<WebConfiguration> web, ObservabilityConfiguration observability,
                               Optional<EdgeConfiguration> nodes) {
        this.mode = mode;
        this.server = web.isPresent();
        this.edge = nodes.isPresent();
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
        LOG.info(banner(Settings.of(context)));
    }

    String banner(Settings settings) {
        StringBuilder text = new StringBuilder("\n\n  IIoT Routes is running in ").append(mode).append(" mode\n");
        web.ifPresent(w -> text.append("  Web login     : ").append(w.login()).append('\n')
                .append("  Live web page : http://").append(displayHost(settings.string("iiot.web.host")))
                .append(':').append(settings.string("iiot.web.port")).append("/\n"));
        text.append("  MQTT broker   : ").append(settings.string("iiot.mqtt.url"))
                .append(broker.broker().isPresent() ? "  (embedded HiveMQ CE)" : "").append('\n');
        if (broker.broker().isPresent()) {
            text.append("  MQTT access   : ").append(broker.access(edge)).append('\n');
            broker.viewerCommand().ifPresent(command -> text.append("  Watch MQTT    : ").append(command).append('\n'));
            broker.labNodeCommand().ifPresent(command -> text.append("  Add a node    : ").append(command).append('\n'));
        }
        tsdb.ifPresent(t -> text.append("  TSDB          : ").append(settings.string("iiot.tsdb.url"))
                .append(t.tsdb().isPresent() ? "  (embedded QuestDB: open it for the SQL console, table 'reading')" : "")
                .append('\n'));
        String observe = server
                ? "http://" + displayHost(settings.string("iiot.web.host")) + ":" + settings.string("iiot.web.port")
                : "http://" + displayHost(settings.string("iiot.edge.observe-host")) + ":" + settings.string("iiot.edge.observe-port");
        text.append("  Health        : ").append(observe).append("/observe/health\n");
        text.append("  Metrics       : ").append(observe).append("/observe/metrics  (Prometheus)\n");
        text.append("  JMX           : org.apache.camel:context=").append(settings.string("camel.main.name"))
                .append(",*  ").append(observability.remoteJmxUrl().map(url -> "remote at " + url)
                        .orElse("(local; remote JMX off)")).append('\n');
        nodes.filter(n -> !n.nodes().isEmpty()).ifPresent(n -> text.append("  Edge nodes    : ")
                .append(Arrays.toString(n.nodes().stream().map(EdgeNode::nodeId).toArray())).append('\n'));
        return text.append("  Stop with Ctrl+C\n").toString();
    }

    private static String displayHost(String host) {
        return "0.0.0.0".equals(host) || "127.0.0.1".equals(host) ? "localhost" : host;
    }
}
