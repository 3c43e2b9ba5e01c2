package io.iiotroutes.app.config;

import io.iiotroutes.tsdb.InfluxV1Points;
import io.iiotroutes.tsdb.SynchronousWritesV1;
import io.iiotroutes.tsdb.TsdbHttpClients;
import org.apache.camel.CamelContext;
import org.apache.camel.component.influxdb2.data.Points;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.SimpleTypeConverter;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;

import java.util.Locale;
import java.util.Optional;

/**
 * The InfluxDB 1.x write path ({@code iiot.tsdb.api=v1}): binds an influxdb-java connection that writes
 * synchronously as {@code tsdbClient}, points every route's TSDB endpoint ({@code iiot.tsdb.endpoint}) at
 * camel-influxdb ({@code iiot.tsdb.endpoint-v1}), and teaches Camel to turn the routes' points into the batch that
 * endpoint takes. The routes themselves do not change.
 */
final class TsdbV1Setup {

    static final String API_KEY = "iiot.tsdb.api";

    private TsdbV1Setup() {
    }

    /** True when the settings ask for the v1 write path; fails on an unknown value. */
    static boolean selected(PropertiesComponent properties) {
        String api = Settings.required(properties, API_KEY).toLowerCase(Locale.ROOT);
        return switch (api) {
            case "v1" -> true;
            case "v2" -> false;
            default -> throw new IllegalArgumentException("unknown " + API_KEY + " '" + api
                    + "': use v2 (InfluxDB 2.x/3.x, QuestDB) or v1 (InfluxDB 1.x)");
        };
    }

    static void bind(CamelContext context, PropertiesComponent properties) {
        String url = Settings.required(properties, "iiot.tsdb.url");
        Optional<String> user = Settings.optional(properties, "iiot.tsdb.username");
        InfluxDB connection = user.isPresent()
                ? InfluxDBFactory.connect(url, user.get(), Settings.optional(properties, "iiot.tsdb.password").orElse(""),
                        TsdbHttpClients.builder())
                : InfluxDBFactory.connect(url, TsdbHttpClients.builder());
        InfluxDB client = SynchronousWritesV1.wrap(connection, TsdbConfiguration.writeMetrics(context));
        context.getRegistry().bind("tsdbClient", client);
        StopWithContext.register(context, "TSDB client (InfluxDB 1.x)", client::close);

        InfluxV1Points batches = new InfluxV1Points(Settings.required(properties, "iiot.tsdb.database"),
                Settings.optional(properties, "iiot.tsdb.retention-policy").orElse(null));
        context.getTypeConverterRegistry().addTypeConverter(BatchPoints.class, Points.class,
                new SimpleTypeConverter(false, (type, exchange, value) -> batches.toBatch((Points) value)));
        properties.addOverrideProperty("iiot.tsdb.endpoint", Settings.required(properties, "iiot.tsdb.endpoint-v1"));
    }
}
