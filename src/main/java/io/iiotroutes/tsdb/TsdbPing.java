package io.iiotroutes.tsdb;

import com.influxdb.client.InfluxDBClient;
import org.influxdb.InfluxDB;

/** Whether the TSDB answers, whichever write path's client the application runs with. */
public final class TsdbPing {

    private TsdbPing() {
    }

    public static boolean ping(Object client) {
        if (client instanceof InfluxDBClient v2) {
            return v2.ping();
        }
        if (client instanceof InfluxDB v1) {
            try {
                return v1.ping().isGood();
            } catch (RuntimeException e) {
                return false;
            }
        }
        throw new IllegalArgumentException("not a TSDB client: " + client);
    }
}
