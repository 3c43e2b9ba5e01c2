package io.iiotroutes.app.config;

import io.iiotroutes.tsdb.InfluxV1Points;
import io.iiotroutes.tsdb.SynchronousWritesV1;
import io.iiotroutes.tsdb.TsdbHttpClients;
import io.iiotroutes.tsdb.WriteMetrics;
import org.apache.camel.CamelContext;
import org.apache.camel.component.influxdb2.data.Points;
import org.apache.camel.support.SimpleTypeConverter;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;

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

    /** @return the client, bound as {@value TsdbConfiguration#CLIENT} */
    static InfluxDB bind(CamelContext context, TsdbSettings settings, WriteMetrics metrics) {
        String url = settings.tsdbUrl();
        Optional<String> user = settings.username();
        InfluxDB connection = user.isPresent()
                ? InfluxDBFactory.connect(url, user.get(), settings.password().orElse(""), TsdbHttpClients.builder())
                : InfluxDBFactory.connect(url, TsdbHttpClients.builder());
        InfluxDB client = SynchronousWritesV1.wrap(connection, metrics);
        context.getRegistry().bind(TsdbConfiguration.CLIENT, client);
        StopWithContext.register(context, "TSDB client (InfluxDB 1.x)", client::close);

        InfluxV1Points batches = new InfluxV1Points(settings.database(), settings.retentionPolicy().orElse(null));
        context.getTypeConverterRegistry().addTypeConverter(BatchPoints.class, Points.class,
                new SimpleTypeConverter(false, (type, exchange, value) -> batches.toBatch((Points) value)));
        // the routes' one TSDB endpoint becomes camel-influxdb's
        Settings properties = Settings.of(context);
        properties.override("iiot.tsdb.endpoint", properties.string("iiot.tsdb.endpoint-v1"));
        return client;
    }
}
