package io.iiotroutes.edge.convert;

/**
 * Platinum RTD (IEC 60751) by Callendar–Van Dusen: R(T) = R0(1 + A·T + B·T²) for T ≥ 0 °C,
 * plus C·(T − 100)·T³ inside the bracket for T < 0 °C.
 */
public final class Rtd {

    public static final double A = 3.9083e-3;
    public static final double B = -5.775e-7;
    public static final double C = -4.183e-12;

    private Rtd() {
    }

    public static double resistance(double celsius, double r0) {
        double t = celsius;
        double lowTerm = t < 0 ? C * (t - 100) * t * t * t : 0;
        return r0 * (1 + A * t + B * t * t + lowTerm);
    }

    /** Exact quadratic above 0 °C; Newton's method on the full equation below it (converges in a few steps). */
    public static double temperature(double ohms, double r0) {
        double ratio = ohms / r0;
        double t = (-A + Math.sqrt(A * A - 4 * B * (1 - ratio))) / (2 * B);
        if (ratio >= 1) {
            return t;
        }
        for (int i = 0; i < 50; i++) {
            double f = resistance(t, r0) - ohms;
            double slope = r0 * (A + 2 * B * t + C * (4 * t * t * t - 300 * t * t));
            double next = t - f / slope;
            if (Math.abs(next - t) < 1e-9) {
                return next;
            }
            t = next;
        }
        return t;
    }
}
