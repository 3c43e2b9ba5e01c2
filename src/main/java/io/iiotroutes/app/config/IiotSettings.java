package io.iiotroutes.app.config;

import org.apache.camel.CamelContext;

import java.nio.file.Path;

/**
 * The settings of one run, one typed record per concern ({@link MqttSettings}, {@link EmbeddedBrokerSettings},
 * {@link ServerSettings}, {@link TsdbSettings}, {@link WebSettings}, {@link EdgeSettings},
 * {@link ObservabilitySettings}, {@link SparkplugSettings}), each read from the
 * properties once, when a configuration first asks for it: a mode reads only the records of its concerns. Loaded by
 * {@code IiotRuntime} before any configuration runs; the defaults are those of the properties files.
 */
public final class IiotSettings {

    private final boolean server;
    private Settings settings;
    private Path dataDir;
    private MqttSettings mqtt;
    private EmbeddedBrokerSettings broker;
    private ServerSettings serverSettings;
    private TsdbSettings tsdb;
    private WebSettings web;
    private EdgeSettings edge;
    private ObservabilitySettings observability;
    private SparkplugSettings sparkplug;

    /** @param server whether the mode runs the server (where /observe is served, which route folder is watched) */
    public IiotSettings(boolean server) {
        this.server = server;
    }

    /** The settings of a context that is configured already (tests of a configuration). */
    public static IiotSettings of(CamelContext context, boolean server) {
        IiotSettings settings = new IiotSettings(server);
        settings.load(context);
        return settings;
    }

    /** Reads from this context's properties from now on (once per start, before the configurations run). */
    public synchronized void load(CamelContext context) {
        settings = Settings.of(context);
        dataDir = null;
        mqtt = null;
        broker = null;
        serverSettings = null;
        tsdb = null;
        web = null;
        edge = null;
        observability = null;
        sparkplug = null;
    }

    private Settings settings() {
        if (settings == null) {
            throw new IllegalStateException("the settings are read when the application starts, not before");
        }
        return settings;
    }

    /** Where the embedded broker, the embedded TSDB, the server's and the edge's state keep their files. */
    public synchronized Path dataDir() {
        return dataDir != null ? dataDir : (dataDir = Path.of(settings().string("iiot.data.dir")));
    }

    public synchronized MqttSettings mqtt() {
        return mqtt != null ? mqtt : (mqtt = MqttSettings.from(settings()));
    }

    public synchronized EmbeddedBrokerSettings broker() {
        return broker != null ? broker : (broker = EmbeddedBrokerSettings.from(settings()));
    }

    public synchronized ServerSettings server() {
        return serverSettings != null ? serverSettings : (serverSettings = ServerSettings.from(settings()));
    }

    public synchronized TsdbSettings tsdb() {
        return tsdb != null ? tsdb : (tsdb = TsdbSettings.from(settings()));
    }

    public synchronized WebSettings web() {
        return web != null ? web : (web = WebSettings.from(settings()));
    }

    public synchronized EdgeSettings edge() {
        return edge != null ? edge : (edge = EdgeSettings.from(settings()));
    }

    public synchronized ObservabilitySettings observability() {
        return observability != null ? observability : (observability = ObservabilitySettings.from(settings(), server));
    }

    public synchronized SparkplugSettings sparkplug() {
        return sparkplug != null ? sparkplug : (sparkplug = SparkplugSettings.from(settings()));
    }
}
