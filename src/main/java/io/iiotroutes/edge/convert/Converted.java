package io.iiotroutes.edge.convert;

import io.iiotroutes.model.Quality;

/** An engineering value with its quality; value is null when BAD. */
public record Converted(Double value, Quality quality, String reason) {

    public static Converted good(double value) {
        return new Converted(value, Quality.GOOD, null);
    }

    public static Converted uncertain(double value, String reason) {
        return new Converted(value, Quality.UNCERTAIN, reason);
    }

    public static Converted bad(String reason) {
        return new Converted(null, Quality.BAD, reason);
    }
}
