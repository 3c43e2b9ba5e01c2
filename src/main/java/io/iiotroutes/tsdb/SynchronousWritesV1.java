package io.iiotroutes.tsdb;

import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The influxdb-java counterpart of {@link SynchronousWrites}, for the InfluxDB 1.x write path (camel-influxdb).
 * <p>
 * influxdb-java writes synchronously unless batching is enabled on the connection: then {@code write(db, rp, point)}
 * only queues the point, a refused write is reported to a callback instead of the caller, and queued points are
 * lost if the connection is not flushed at shutdown. The connection wrapped here refuses to enable batching, so
 * every write returns only once InfluxDB has answered, and it turns refusals caused by the data itself (field type
 * conflict, unparsable line, point outside the retention policy) into {@link TsdbRefusedException}, which the
 * routes dead-letter; everything else (InfluxDB down, 5xx, unknown database, authentication) stays a failure to
 * retry.
 */
public final class SynchronousWritesV1 {

    private SynchronousWritesV1() {
    }

    public static InfluxDB wrap(InfluxDB connection) {
        return wrap(connection, WriteMetrics.unobserved());
    }

    /** As {@link #wrap(InfluxDB)}, recording every write request in {@code metrics}. */
    public static InfluxDB wrap(InfluxDB connection, WriteMetrics metrics) {
        if (connection.isBatchEnabled()) {
            connection.disableBatch();
        }
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("enableBatch")) {
                throw new UnsupportedOperationException("batching would make writes asynchronous and lossy at shutdown;"
                        + " the InfluxDB 1.x write path writes synchronously");
            }
            if (name.equals("toString") && method.getParameterCount() == 0) {
                return "SynchronousInfluxDB(" + connection + ")";
            }
            try {
                if (name.startsWith("write")) {
                    return metrics.record(WriteMetrics.pointsIn(args), () -> ProxyCalls.invokeUnchecked(connection, method, args));
                }
                return ProxyCalls.invoke(connection, method, args);
            } catch (InfluxDBException e) {
                if (name.startsWith("write") && isRefusedForGood(e)) {
                    throw new TsdbRefusedException("InfluxDB refused the points: " + e.getMessage(), e);
                }
                throw e;
            }
        };
        return (InfluxDB) Proxy.newProxyInstance(InfluxDB.class.getClassLoader(), new Class<?>[]{InfluxDB.class}, handler);
    }

    static boolean isRefusedForGood(InfluxDBException e) {
        return e instanceof InfluxDBException.FieldTypeConflictException
                || e instanceof InfluxDBException.UnableToParseException
                || e instanceof InfluxDBException.PointsBeyondRetentionPolicyException;
    }
}
