package io.iiotroutes.tsdb;

import com.influxdb.exceptions.BadRequestException;
import com.influxdb.exceptions.RequestEntityTooLargeException;
import com.influxdb.exceptions.UnprocessableEntityException;

/**
 * Which write errors mean "the TSDB refuses these points for good" (bad line, field type conflict, too large) as
 * opposed to "the TSDB is unavailable": the same list the server's error handling dead-letters
 * (routes/error-handling.camel.yaml).
 */
public final class TsdbRefusals {

    private TsdbRefusals() {
    }

    public static boolean isRefusal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TsdbRefusedException || t instanceof BadRequestException
                    || t instanceof UnprocessableEntityException || t instanceof RequestEntityTooLargeException) {
                return true;
            }
        }
        return false;
    }
}
