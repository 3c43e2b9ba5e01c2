package io.iiotroutes.node;

/**
 * A fault the simulated driver injects: wire-break | stuck | spike | out-of-range | read-error.
 * Active from afterS for durationS (null: for ever), repeated every everyS (null: once).
 * value: the spike height or the out-of-range value, in signal units.
 */
public record FaultConfig(String type, Double afterS, Double durationS, Double everyS, Double value) {

    public FaultConfig {
        afterS = afterS == null ? 0.0 : afterS;
    }

    /** Whether the fault is active t seconds after the simulation started. */
    public boolean activeAt(double t) {
        if (t < afterS) {
            return false;
        }
        double since = everyS == null ? t - afterS : (t - afterS) % everyS;
        return durationS == null || since < durationS;
    }
}
