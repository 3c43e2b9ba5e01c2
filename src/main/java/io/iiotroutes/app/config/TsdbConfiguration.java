package io.iiotroutes.app.config;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import io.iiotroutes.server.WriteBatcher;
import io.iiotroutes.tsdb.EmbeddedQuestDb;
import io.iiotroutes.tsdb.HistoryQuery;
import io.iiotroutes.tsdb.InfluxQlHistory;
import io.iiotroutes.tsdb.QuestDbHistory;
import io.iiotroutes.tsdb.SynchronousWrites;
import io.iiotroutes.tsdb.TsdbHttpClients;
import io.iiotroutes.tsdb.TsdbRefusals;
import io.iiotroutes.tsdb.WriteMetrics;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import java.nio.file.Path;
import java.util.Locale;
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

    private EmbeddedQuestDb tsdb;

    @Override
    public void configure(CamelContext context) {
        Settings settings = Settings.of(context);
        if (settings.optional("iiot.tsdb.url").isEmpty()) {
            tsdb = new EmbeddedQuestDb(Path.of(settings.string("iiot.data.dir")).resolve("tsdb"),
                    settings.string("iiot.tsdb.host"), settings.integer("iiot.tsdb.http-port"),
                    settings.integer("iiot.tsdb.pg-port"));
            tsdb.start();
            StopWithContext.register(context, "embedded TSDB", tsdb::stop);
            tsdb.executeScript("questdb/schema.sql");
            settings.override("iiot.tsdb.url", tsdb.getHttpUrl());
        }
        if (TsdbV1Setup.selected(settings.properties())) {
            TsdbV1Setup.bind(context, settings.properties());
        } else {
            bindV2Client(context, settings);
        }
        bindWriteBatcher(context, settings);
        context.getRegistry().bind(HISTORY, historyQuery(settings));
        if (settings.flag("iiot.server.require-services") && tsdb == null) {
            RequiredServices.awaitTsdb(settings.string("iiot.tsdb.url"), context.getRegistry().lookupByName(CLIENT),
                    settings.seconds("iiot.server.startup-wait-seconds"));
        }
    }

    private static void bindV2Client(CamelContext context, Settings settings) {
        InfluxDBClientOptions.Builder options = InfluxDBClientOptions.builder()
                .url(settings.string("iiot.tsdb.url"))
                .okHttpClient(TsdbHttpClients.builder())
                .org(settings.string("iiot.tsdb.org"))
                .bucket(settings.string("iiot.tsdb.bucket"));
        settings.optional("iiot.tsdb.token").ifPresent(token -> options.authenticateToken(token.toCharArray()));
        InfluxDBClient client = SynchronousWrites.wrap(InfluxDBClientFactory.create(options.build()), writeMetrics(context));
        context.getRegistry().bind(CLIENT, client);
        StopWithContext.register(context, "TSDB client", client::close);
    }

    /**
     * Registered after the TSDB client, so it stops (writing what is queued) before the client closes; it writes
     * through the same endpoint as every route, once the context has started (the v1/v2 choice is settled then).
     */
    private static void bindWriteBatcher(CamelContext context, Settings settings) {
        WriteBatcher batcher = new WriteBatcher(settings.integer("iiot.server.batch.max-points"),
                settings.integer("iiot.server.batch.max-messages"), TsdbRefusals::isRefusal);
        context.getRegistry().bind(BATCHER, batcher);
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

    /** SQL for QuestDB, InfluxQL for InfluxDB (1.x, or 2.x through its v1 compatibility API). */
    static HistoryQuery historyQuery(Settings settings) {
        String language = settings.string("iiot.tsdb.query").toLowerCase(Locale.ROOT);
        if (language.equals("auto")) {
            language = TsdbV1Setup.selected(settings.properties()) ? "influxql" : "sql";
        }
        String url = settings.string("iiot.tsdb.url");
        return switch (language) {
            case "sql" -> new QuestDbHistory(url);
            case "influxql" -> {
                Optional<String> token = settings.optional("iiot.tsdb.token");
                Optional<String> user = settings.optional("iiot.tsdb.username");
                String authorization = token.map(InfluxQlHistory::token).orElse(user.map(u -> InfluxQlHistory.basic(u,
                        settings.optional("iiot.tsdb.password").orElse(""))).orElse(null));
                yield new InfluxQlHistory(url, settings.string("iiot.tsdb.database"),
                        settings.optional("iiot.tsdb.retention-policy").orElse(null), authorization);
            }
            default -> throw new IllegalArgumentException("unknown iiot.tsdb.query '" + language
                    + "': use auto, sql (QuestDB) or influxql (InfluxDB)");
        };
    }

    static WriteMetrics writeMetrics(CamelContext context) {
        return new WriteMetrics(ObservabilityConfiguration.meterRegistry(context));
    }

    public Optional<EmbeddedQuestDb> tsdb() {
        return Optional.ofNullable(tsdb);
    }
}
