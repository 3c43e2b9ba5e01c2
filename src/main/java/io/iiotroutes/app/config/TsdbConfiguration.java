package io.iiotroutes.app.config;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import io.iiotroutes.server.WriteBatcher;
import io.iiotroutes.tsdb.EmbeddedQuestDb;
import io.iiotroutes.tsdb.HistoryQuery;
import io.iiotroutes.tsdb.InfluxQlHistory;
import io.iiotroutes.tsdb.LineProtocolWriter;
import io.iiotroutes.tsdb.QuestDbHistory;
import io.iiotroutes.tsdb.SynchronousWrites;
import io.iiotroutes.tsdb.TsdbHttpClients;
import io.iiotroutes.tsdb.TsdbRefusals;
import io.iiotroutes.tsdb.WriteMetrics;
import okhttp3.HttpUrl;
import org.apache.camel.CamelContext;

import java.util.Optional;

/**
 * The TSDB side of the server: the embedded QuestDB when {@code iiot.tsdb.url} is unset, the client every route
 * writes through ({@value #CLIENT}: InfluxDB v2 API, or 1.x with {@code iiot.tsdb.api=v1}), the ingest route's
 * batched writes ({@value #BATCHER}) and the history query of the API ({@value #HISTORY}). With
 * {@code iiot.server.require-services} an external TSDB that does not answer at start-up stops the server.
 */
public final class TsdbConfiguration implements IiotConfiguration {

    public static final String CLIENT = "tsdbClient";
    public static final String BATCHER = "tsdbBatcher";
    public static final String HISTORY = "historyQuery";

    private final IiotSettings settings;
    private final ObservabilityConfiguration observability;
    private EmbeddedQuestDb tsdb;
    private TsdbSettings tsdbSettings;
    private Object client;
    private HistoryQuery history;

    public TsdbConfiguration(IiotSettings settings, ObservabilityConfiguration observability) {
        this.settings = settings;
        this.observability = observability;
    }

    @Override
    public void configure(CamelContext context) {
        tsdbSettings = settings.tsdb();
        ServerSettings server = settings.server();
        if (tsdbSettings.url().isEmpty()) {
            tsdb = new EmbeddedQuestDb(settings.dataDir().resolve("tsdb"), tsdbSettings.host(), tsdbSettings.httpPort(),
                    tsdbSettings.pgPort());
            tsdb.start();
            StopWithContext.register(context, "embedded TSDB", tsdb::stop);
            tsdb.executeScript("questdb/schema.sql");
            tsdbSettings = tsdbSettings.withUrl(tsdb.getHttpUrl());
            // the URL in use, as a property too (the Camel CLI shows it)
            Settings.of(context).override("iiot.tsdb.url", tsdb.getHttpUrl());
        }
        WriteMetrics metrics = new WriteMetrics(observability.meterRegistry());
        client = tsdbSettings.v1() ? TsdbV1Setup.bind(context, tsdbSettings, metrics) : bindV2Client(context, tsdbSettings, metrics);
        bindWriteBatcher(context, server, tsdbSettings, metrics);
        history = historyQuery(tsdbSettings);
        context.getRegistry().bind(HISTORY, history);
        if (server.requireServices() && tsdb == null) {
            RequiredServices.awaitTsdb(tsdbSettings.tsdbUrl(), client, server.startupWait());
        }
    }

    private static InfluxDBClient bindV2Client(CamelContext context, TsdbSettings settings, WriteMetrics metrics) {
        InfluxDBClientOptions.Builder options = InfluxDBClientOptions.builder()
                .url(settings.tsdbUrl())
                .okHttpClient(TsdbHttpClients.builder())
                .org(settings.org())
                .bucket(settings.bucket());
        settings.token().ifPresent(token -> options.authenticateToken(token.toCharArray()));
        InfluxDBClient client = SynchronousWrites.wrap(InfluxDBClientFactory.create(options.build()), metrics);
        context.getRegistry().bind(CLIENT, client);
        StopWithContext.register(context, "TSDB client", client::close);
        return client;
    }

    /**
     * Registered after the TSDB client, so it stops (writing what is queued) before the client closes. The readings
     * go straight to the TSDB's line-protocol endpoint ({@link LineProtocolWriter}), not through the client
     * library the other routes' endpoint uses: per message that path cost more CPU than all the rest of the write
     * (docs/performance.md).
     */
    private static void bindWriteBatcher(CamelContext context, ServerSettings server, TsdbSettings tsdb, WriteMetrics metrics) {
        WriteBatcher batcher = new WriteBatcher(server.batchMaxPoints(), server.batchMaxMessages(), server.batchLingerMillis(),
                TsdbRefusals::isRefusal);
        context.getRegistry().bind(BATCHER, batcher);
        LineProtocolWriter writer = lineWriter(tsdb, metrics);
        StopWithContext.register(context, "TSDB line-protocol writer", writer::close);
        StopWithContext.register(context, "TSDB write batcher", batcher::close);
        batcher.start(writer::write);
    }

    static LineProtocolWriter lineWriter(TsdbSettings tsdb, WriteMetrics metrics) {
        String url = tsdb.tsdbUrl();
        // InfluxDB 1.x: its database and user; 2.x/3.x and QuestDB: org, bucket and token
        HttpUrl writeUrl = tsdb.v1() ? LineProtocolWriter.v1Url(url, tsdb.database(), tsdb.retentionPolicy().orElse(null))
                : LineProtocolWriter.v2Url(url, tsdb.org(), tsdb.bucket());
        String authorization = tsdb.v1()
                ? tsdb.username().map(user -> InfluxQlHistory.basic(user, tsdb.password().orElse(""))).orElse(null)
                : tsdb.token().map(InfluxQlHistory::token).orElse(null);
        return new LineProtocolWriter(TsdbHttpClients.builder().build(), writeUrl, authorization, metrics);
    }

    /** SQL for QuestDB, InfluxQL for InfluxDB (1.x, or 2.x through its v1 compatibility API). */
    static HistoryQuery historyQuery(TsdbSettings settings) {
        String url = settings.tsdbUrl();
        if (settings.query().equals("sql")) {
            return new QuestDbHistory(url);
        }
        String authorization = settings.token().map(InfluxQlHistory::token).orElse(settings.username()
                .map(user -> InfluxQlHistory.basic(user, settings.password().orElse(""))).orElse(null));
        return new InfluxQlHistory(url, settings.database(), settings.retentionPolicy().orElse(null), authorization);
    }

    public Optional<EmbeddedQuestDb> tsdb() {
        return Optional.ofNullable(tsdb);
    }

    /** The TSDB's URL: the configured one, or the embedded QuestDB's. */
    String url() {
        return tsdbSettings.tsdbUrl();
    }

    /** The client the routes write through ({@value #CLIENT}), for the health check's ping. */
    Object client() {
        return client;
    }

    /** The history query of the REST API ({@value #HISTORY}). */
    public HistoryQuery history() {
        return history;
    }
}
