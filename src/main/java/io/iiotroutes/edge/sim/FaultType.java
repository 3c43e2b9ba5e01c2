package io.iiotroutes.edge.sim;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

public enum FaultType {
    /** The loop is open: 0 mA / 0 V, an RTD reads an open circuit. */
    WIRE_BREAK("wire-break"),
    /** The value freezes at what it was when the fault began. */
    STUCK("stuck"),
    /** value (default: the simulation span) is added to the signal. */
    SPIKE("spike"),
    /** The signal jumps to value (default: max + half the span). */
    OUT_OF_RANGE("out-of-range"),
    /** The driver cannot read the channel. */
    READ_ERROR("read-error");

    private final String label;

    FaultType(String label) {
        this.label = label;
    }

    public static Optional<FaultType> find(String name) {
        return Arrays.stream(values()).filter(f -> f.label.equalsIgnoreCase(String.valueOf(name).trim())).findFirst();
    }

    public static String labels() {
        return Arrays.stream(values()).map(f -> f.label).collect(Collectors.joining(", "));
    }

    public String label() {
        return label;
    }
}
