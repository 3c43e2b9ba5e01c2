package io.iiotroutes.edge.driver;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** ADS1115 programmable gain amplifier: full-scale range and the PGA[2:0] bits of the config register. */
public enum Ads1115Gain {
    FS_6_144(6.144, 0b000),
    FS_4_096(4.096, 0b001),
    FS_2_048(2.048, 0b010),
    FS_1_024(1.024, 0b011),
    FS_0_512(0.512, 0b100),
    FS_0_256(0.256, 0b101);

    private final double fullScaleVolts;
    private final int bits;

    Ads1115Gain(double fullScaleVolts, int bits) {
        this.fullScaleVolts = fullScaleVolts;
        this.bits = bits;
    }

    public static Optional<Ads1115Gain> of(double fullScaleVolts) {
        return Arrays.stream(values()).filter(g -> Math.abs(g.fullScaleVolts - fullScaleVolts) < 1e-9).findFirst();
    }

    public static String labels() {
        return Arrays.stream(values()).map(g -> String.valueOf(g.fullScaleVolts)).collect(Collectors.joining(", "));
    }

    public double fullScaleVolts() {
        return fullScaleVolts;
    }

    public int bits() {
        return bits;
    }

    /** One count: full scale / 2^15 (e.g. 125 µV at ±4.096 V). */
    public double lsbVolts() {
        return fullScaleVolts / 32768.0;
    }

    public double toVolts(int counts) {
        return counts * lsbVolts();
    }
}
