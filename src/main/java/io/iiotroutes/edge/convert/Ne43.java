package io.iiotroutes.edge.convert;

import io.iiotroutes.model.Quality;

/**
 * NAMUR NE 43 signal levels of a 4–20 mA transmitter: 3.8–20.5 mA is the measuring range, 3.6–3.8 and
 * 20.5–21 mA are under/over range, below 3.6 or above 21 mA signal a sensor or wiring fault.
 */
public final class Ne43 {

    public static final double FAULT_LOW_MA = 3.6;
    public static final double RANGE_LOW_MA = 3.8;
    public static final double RANGE_HIGH_MA = 20.5;
    public static final double FAULT_HIGH_MA = 21.0;

    private Ne43() {
    }

    public static Quality quality(double mA) {
        if (mA < FAULT_LOW_MA || mA > FAULT_HIGH_MA) {
            return Quality.BAD;
        }
        if (mA < RANGE_LOW_MA || mA > RANGE_HIGH_MA) {
            return Quality.UNCERTAIN;
        }
        return Quality.GOOD;
    }

    /** Why the current is not GOOD, null when it is. Without the reading itself, so the reason stays stable. */
    public static String reason(double mA) {
        if (mA < FAULT_LOW_MA) {
            return "sensor fault: below 3.6 mA (NE43)";
        }
        if (mA > FAULT_HIGH_MA) {
            return "sensor fault: above 21 mA (NE43)";
        }
        if (mA < RANGE_LOW_MA) {
            return "under range: 3.6-3.8 mA (NE43)";
        }
        if (mA > RANGE_HIGH_MA) {
            return "over range: 20.5-21 mA (NE43)";
        }
        return null;
    }
}
