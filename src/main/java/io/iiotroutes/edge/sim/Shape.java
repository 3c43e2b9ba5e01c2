package io.iiotroutes.edge.sim;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

public enum Shape {
    SINE("sine"), RAMP("ramp"), STEP("step"), RANDOM_WALK("random-walk"), NOISE("noise"), CONSTANT("constant");

    private final String label;

    Shape(String label) {
        this.label = label;
    }

    public static Optional<Shape> find(String name) {
        return Arrays.stream(values()).filter(s -> s.label.equalsIgnoreCase(String.valueOf(name).trim())).findFirst();
    }

    public static String labels() {
        return Arrays.stream(values()).map(s -> s.label).collect(Collectors.joining(", "));
    }
}
