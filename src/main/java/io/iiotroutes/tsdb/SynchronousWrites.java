package io.iiotroutes.tsdb;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.WriteApi;
import com.influxdb.client.WriteApiBlocking;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * Makes an {@link InfluxDBClient} write synchronously through every {@link WriteApi} it hands out.
 * <p>
 * Why: camel-influxdb2's producer writes through {@code client.makeWriteApi()}, the batching, asynchronous API.
 * With it a write the database rejects never reaches the exchange (the exchange reports success while the points
 * are gone), and points still buffered when the context stops are lost. Given a client wrapped here, each
 * {@code write*} call goes straight to {@link WriteApiBlocking}: it returns once the database has accepted the
 * points, throws when it has not (failing the exchange), and leaves nothing buffered to lose at shutdown.
 */
public final class SynchronousWrites {

    private static final Set<String> WRITE_API_FACTORIES = Set.of("makeWriteApi", "getWriteApi");

    private SynchronousWrites() {
    }

    public static InfluxDBClient wrap(InfluxDBClient client) {
        return wrap(client, WriteMetrics.unobserved());
    }

    /** As {@link #wrap(InfluxDBClient)}, recording every write request in {@code metrics}. */
    public static InfluxDBClient wrap(InfluxDBClient client, WriteMetrics metrics) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (WRITE_API_FACTORIES.contains(method.getName())) {
                return synchronousWriteApi(client.getWriteApiBlocking(), metrics);
            }
            return ProxyCalls.invoke(client, method, args);
        };
        return (InfluxDBClient) Proxy.newProxyInstance(InfluxDBClient.class.getClassLoader(),
                new Class<?>[]{InfluxDBClient.class}, handler);
    }

    static WriteApi synchronousWriteApi(WriteApiBlocking blocking) {
        return synchronousWriteApi(blocking, WriteMetrics.unobserved());
    }

    static WriteApi synchronousWriteApi(WriteApiBlocking blocking, WriteMetrics metrics) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            // nothing is ever buffered, so there is nothing to flush or close
            case "flush", "close" -> null;
            case "listenEvents" -> throw new UnsupportedOperationException(
                    "synchronous writes report failures by throwing, not through events");
            case "toString" -> "SynchronousWriteApi";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            // every write* method of WriteApi has a twin with the same signature on WriteApiBlocking
            default -> {
                Method twin = WriteApiBlocking.class.getMethod(method.getName(), method.getParameterTypes());
                yield metrics.record(WriteMetrics.pointsIn(args), () -> ProxyCalls.invokeUnchecked(blocking, twin, args));
            }
        };
        return (WriteApi) Proxy.newProxyInstance(WriteApi.class.getClassLoader(), new Class<?>[]{WriteApi.class}, handler);
    }
}
