package io.iiotroutes.tsdb;

import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.dto.BatchPoints;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The wrapper's own logic, on a stand-in connection; the real InfluxDB behaviour is in InfluxV1WriteIT. */
class SynchronousWritesV1Test {

    private final List<String> calls = new ArrayList<>();

    private InfluxDB connection(RuntimeException writeFailure) {
        return (InfluxDB) Proxy.newProxyInstance(InfluxDB.class.getClassLoader(), new Class<?>[]{InfluxDB.class},
                (proxy, method, args) -> {
                    calls.add(method.getName());
                    if (method.getName().equals("write") && writeFailure != null) {
                        throw writeFailure;
                    }
                    return method.getReturnType() == boolean.class ? false : null;
                });
    }

    @Test
    void refusesToEnableBatching() {
        InfluxDB wrapped = SynchronousWritesV1.wrap(connection(null));
        assertThrows(UnsupportedOperationException.class, wrapped::enableBatch);
        assertThrows(UnsupportedOperationException.class, () -> wrapped.enableBatch(100, 100, java.util.concurrent.TimeUnit.MILLISECONDS));
        assertEquals(List.of("isBatchEnabled"), calls, "enableBatch must never reach the connection");
    }

    @Test
    void dataRefusalsBecomeTsdbRefusedAndOtherFailuresStayAsTheyAre() {
        // the error bodies InfluxDB 1.x answers with, as influxdb-java turns them into exceptions
        InfluxDBException conflict = InfluxDBException.buildExceptionForErrorState("{\"error\":\"partial write: field type "
                + "conflict: input field \\\"value\\\" on measurement \\\"reading\\\" is type float, already exists as type string dropped=1\"}");
        InfluxDBException parse = InfluxDBException.buildExceptionForErrorState("{\"error\":\"unable to parse 'x y': invalid field format\"}");
        InfluxDBException missingDb = InfluxDBException.buildExceptionForErrorState("{\"error\":\"database not found: \\\"iiot\\\"\"}");
        BatchPoints batch = BatchPoints.database("iiot").build();

        TsdbRefusedException refused = assertThrows(TsdbRefusedException.class, () -> SynchronousWritesV1.wrap(connection(conflict)).write(batch));
        assertSame(conflict, refused.getCause());
        assertThrows(TsdbRefusedException.class, () -> SynchronousWritesV1.wrap(connection(parse)).write(batch));
        // a missing database is a configuration problem: retried (the broker keeps the messages), not dead-lettered
        assertSame(missingDb, assertThrows(InfluxDBException.class, () -> SynchronousWritesV1.wrap(connection(missingDb)).write(batch)));
        RuntimeException down = new RuntimeException(new java.net.ConnectException("refused"));
        assertSame(down, assertThrows(RuntimeException.class, () -> SynchronousWritesV1.wrap(connection(down)).write(batch)));
    }
}
