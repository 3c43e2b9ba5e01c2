package io.iiotroutes.edge.driver;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * RevPi AIO inputs by their PiCtory names, with byte offsets relative to the module's first input byte
 * (KUNBUS piControl, piAIOComm.h: InputValue_1..4 at 0..6, InputStatus_1..4 at 8..11, RTDValue_1..2 at 12/14,
 * RTDStatus_1..2 at 16/17). Values are signed 16-bit little-endian.
 */
public enum RevPiAioInput {
    INPUT_VALUE_1("InputValue_1", 0, 8, false),
    INPUT_VALUE_2("InputValue_2", 2, 9, false),
    INPUT_VALUE_3("InputValue_3", 4, 10, false),
    INPUT_VALUE_4("InputValue_4", 6, 11, false),
    RTD_VALUE_1("RTDValue_1", 12, 16, true),
    RTD_VALUE_2("RTDValue_2", 14, 17, true);

    /** Bytes of the AIO's input block (up to and including OutputStatus_2). */
    public static final int MODULE_INPUT_BYTES = 20;

    private final String label;
    private final int valueOffset;
    private final int statusOffset;
    private final boolean rtd;

    RevPiAioInput(String label, int valueOffset, int statusOffset, boolean rtd) {
        this.label = label;
        this.valueOffset = valueOffset;
        this.statusOffset = statusOffset;
        this.rtd = rtd;
    }

    public static Optional<RevPiAioInput> find(String name) {
        return Arrays.stream(values()).filter(i -> i.label.equalsIgnoreCase(String.valueOf(name).trim())).findFirst();
    }

    public static String labels() {
        return Arrays.stream(values()).map(RevPiAioInput::label).collect(Collectors.joining(", "));
    }

    public String label() {
        return label;
    }

    public int valueOffset() {
        return valueOffset;
    }

    public int statusOffset() {
        return statusOffset;
    }

    public boolean isRtd() {
        return rtd;
    }
}
