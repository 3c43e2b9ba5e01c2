package io.iiotroutes.node;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

public enum DriverType {
    SIMULATED("simulated"),
    ADS1115("ads1115"),
    MCP3008("mcp3008"),
    REVPI_AIO("revpi-aio");

    private final String label;

    DriverType(String label) {
        this.label = label;
    }

    public static Optional<DriverType> find(String name) {
        return Arrays.stream(values()).filter(t -> t.label.equalsIgnoreCase(String.valueOf(name).trim())).findFirst();
    }

    public static String labels() {
        return Arrays.stream(values()).map(DriverType::label).collect(Collectors.joining(", "));
    }

    public String label() {
        return label;
    }

    /** ADC drivers measure a voltage at the pin and need the wiring in front of it (shunt, divider, excitation). */
    public boolean isAdc() {
        return this == ADS1115 || this == MCP3008;
    }
}
