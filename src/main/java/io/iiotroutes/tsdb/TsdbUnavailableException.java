package io.iiotroutes.tsdb;

/** The TSDB write could not be attempted (the writer is stopping): retried later, never dead-lettered. */
public class TsdbUnavailableException extends RuntimeException {

    public TsdbUnavailableException(String message) {
        super(message);
    }
}
