package io.iiotroutes.tsdb;

/** The TSDB could not answer a query (down, timed out, refused the query). */
public class TsdbQueryException extends RuntimeException {

    public TsdbQueryException(String message) {
        super(message);
    }

    public TsdbQueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
