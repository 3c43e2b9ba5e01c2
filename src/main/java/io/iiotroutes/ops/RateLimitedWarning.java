package io.iiotroutes.ops;

import org.slf4j.Logger;

/** A WARN that repeats at most once per interval, always carrying the running total, so loss is never silent. */
public final class RateLimitedWarning {

    private final Logger log;
    private final long intervalNanos;
    private long lastLogged;
    private boolean logged;

    public RateLimitedWarning(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    public synchronized void warn(String what, long total) {
        long now = System.nanoTime();
        if (!logged || now - lastLogged >= intervalNanos) {
            logged = true;
            lastLogged = now;
            log.warn("{} (total so far: {})", what, total);
        }
    }
}
