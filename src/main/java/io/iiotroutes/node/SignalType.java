package io.iiotroutes.node;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Electrical signal a channel carries; a driver reports values in {@link #unit()}. */
public enum SignalType {
    VOLT_0_10("0-10V", 0, 10, "V"),
    VOLT_0_5("0-5V", 0, 5, "V"),
    VOLT_PM_10("+-10V", -10, 10, "V"),
    MA_0_20("0-20mA", 0, 20, "mA"),
    MA_4_20("4-20mA", 4, 20, "mA"),
    PT100("pt100", 100, 100, "ohm"),
    PT1000("pt1000", 1000, 1000, "ohm"),
    RAW("raw", Double.NaN, Double.NaN, "counts");

    private final String label;
    private final double low;
    private final double high;
    private final String unit;

    SignalType(String label, double low, double high, String unit) {
        this.label = label;
        this.low = low;
        this.high = high;
        this.unit = unit;
    }

    public static Optional<SignalType> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.trim().replace("±", "+-").toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.label.toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    public static String labels() {
        return Arrays.stream(values()).map(SignalType::label).collect(Collectors.joining(", "));
    }

    public String label() {
        return label;
    }

    /** Unit of the values a driver reports for this signal. */
    public String unit() {
        return unit;
    }

    /** Default signal span mapped onto the engineering range (not used for RTDs and raw). */
    public double low() {
        return low;
    }

    public double high() {
        return high;
    }

    public boolean isCurrent() {
        return this == MA_0_20 || this == MA_4_20;
    }

    public boolean isVoltage() {
        return this == VOLT_0_10 || this == VOLT_0_5 || this == VOLT_PM_10;
    }

    public boolean isRtd() {
        return this == PT100 || this == PT1000;
    }

    /** Nominal resistance at 0 °C of an RTD signal. */
    public double r0() {
        if (!isRtd()) {
            throw new IllegalStateException(label + " is not an RTD signal");
        }
        return low;
    }
}
