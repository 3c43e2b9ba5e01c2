package io.iiotroutes.server;

import com.fasterxml.jackson.core.JacksonException;
import com.influxdb.exceptions.InfluxException;
import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.tsdb.TsdbRefusals;
import io.iiotroutes.tsdb.TsdbUnavailableException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.influxdb.InfluxDBException;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What a failure of the ingest pipeline means, decided here and nowhere else (routes/error-handling.camel.yaml asks
 * this bean):
 * <ul>
 *     <li>{@link Kind#REFUSED}: the message breaks the contract or a limit, or the TSDB refuses its points for good:
 *     dead-lettered at once;</li>
 *     <li>{@link Kind#UNAVAILABLE}: the TSDB or the broker cannot be reached, times out or answers with an error
 *     that is not about the data (5xx, authentication, unknown database), or the server itself is starting or
 *     stopping: retried for as long as it takes, the message unacknowledged meanwhile;</li>
 *     <li>{@link Kind#INTERNAL}: anything else, i.e. a bug of ours triggered by this message: retried a few times
 *     (a passing cause), then dead-lettered as {@code internal error: <class>: <message>}, so one message cannot
 *     block its session for good.</li>
 * </ul>
 */
public final class IngestFailures {

    public enum Kind { REFUSED, UNAVAILABLE, INTERNAL }

    public static Kind kind(Throwable failure) {
        if (TsdbRefusals.isRefusal(failure)) {   // walks the cause chain itself
            return Kind.REFUSED;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidMessageException) {
                return Kind.REFUSED;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isUnavailable(t)) {
                return Kind.UNAVAILABLE;
            }
        }
        return Kind.INTERNAL;
    }

    private static boolean isUnavailable(Throwable t) {
        if (t instanceof JacksonException) {
            return false;   // an IOException by type, but a bug of ours by nature
        }
        return t instanceof IOException || t instanceof TimeoutException
                || t instanceof InfluxException || t instanceof InfluxDBException || t instanceof MqttException
                || t instanceof TsdbUnavailableException || t instanceof RejectedExecutionException
                // a sub-route not running yet or any more (start-up, shutdown, reload of its file)
                || t.getClass().getName().equals("org.apache.camel.component.direct.DirectConsumerNotAvailableException")
                || t.getClass().getName().equals("org.apache.camel.ExchangeTimedOutException");
    }

    /** For the routes: true when the failure is of the given kind (REFUSED, UNAVAILABLE or INTERNAL). */
    public boolean is(Throwable failure, String kind) {
        return failure != null && kind(failure).name().equals(kind);
    }

    /** The reason a dead letter records for an internal error. */
    public static String internalReason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root
                && (root.getMessage() == null || root.getClass().getName().startsWith("org.apache.camel."))) {
            root = root.getCause();
        }
        return "internal error: " + root.getClass().getName() + ": " + root.getMessage();
    }
}
