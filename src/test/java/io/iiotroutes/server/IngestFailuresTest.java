package io.iiotroutes.server;

import com.fasterxml.jackson.core.JsonParseException;
import com.influxdb.exceptions.InfluxException;
import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.tsdb.TsdbRefusedException;
import io.iiotroutes.tsdb.TsdbUnavailableException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;

import static io.iiotroutes.server.IngestFailures.Kind.INTERNAL;
import static io.iiotroutes.server.IngestFailures.Kind.REFUSED;
import static io.iiotroutes.server.IngestFailures.Kind.UNAVAILABLE;
import static io.iiotroutes.server.IngestFailures.kind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestFailuresTest {

    @Test
    void theMessagesFaultIsRefusedAtOnce() {
        assertEquals(REFUSED, kind(new InvalidMessageException("malformed JSON")));
        assertEquals(REFUSED, kind(new LimitExceededException(IngestLimits.CHANNELS, "limit")));
        assertEquals(REFUSED, kind(new CompletionException(new TsdbRefusedException("field type conflict", null))));
    }

    @Test
    void anOutageOrAStoppingServerIsRetriedForAsLongAsItTakes() {
        assertEquals(UNAVAILABLE, kind(new InfluxException(new ConnectException("Connection refused"))));
        assertEquals(UNAVAILABLE, kind(new InfluxException("HTTP 503")));
        assertEquals(UNAVAILABLE, kind(new RuntimeCamelException(new SocketTimeoutException("timeout"))));
        assertEquals(UNAVAILABLE, kind(new MqttException(32104)));
        assertEquals(UNAVAILABLE, kind(new CompletionException(new TsdbUnavailableException("TSDB writer is stopped"))));
        assertEquals(UNAVAILABLE, kind(new DirectConsumerNotAvailableException("no consumers", null)));
    }

    @Test
    void anythingElseIsOurBugAndNamedAsSuch() {
        assertEquals(INTERNAL, kind(new NullPointerException("x is null")));
        assertEquals(INTERNAL, kind(new IllegalStateException("bug", new JsonParseException(null, "unexpected token"))));
        assertEquals("internal error: java.lang.IllegalStateException: injected",
                IngestFailures.internalReason(new RuntimeCamelException(new IllegalStateException("injected"))));
        assertTrue(new IngestFailures().is(new ArithmeticException("/ by zero"), "INTERNAL"));
        assertFalse(new IngestFailures().is(new ArithmeticException("/ by zero"), "UNAVAILABLE"));
        assertFalse(new IngestFailures().is(null, "INTERNAL"));
    }
}
