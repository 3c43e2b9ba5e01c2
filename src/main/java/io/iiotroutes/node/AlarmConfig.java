package io.iiotroutes.node;

/**
 * Alarm limits of one channel, in engineering units, evaluated by the server (never on the edge): high-high, high,
 * low, low-low, each optional. A limit is raised when the value reaches it and held until the value has moved back
 * past it by {@code hysteresis}; a change of alarm state takes effect only once it has held for {@code delayMs}.
 */
public record AlarmConfig(Double hh, Double h, Double l, Double ll, Double hysteresis, Long delayMs) {

    public AlarmConfig {
        hysteresis = hysteresis == null ? 0.0 : hysteresis;
        delayMs = delayMs == null ? 0L : delayMs;
    }

    public boolean hasLimits() {
        return hh != null || h != null || l != null || ll != null;
    }
}
