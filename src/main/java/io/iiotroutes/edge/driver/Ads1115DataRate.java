package io.iiotroutes.edge.driver;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** ADS1115 data rate (samples per second) and the DR[2:0] bits of the config register. */
public enum Ads1115DataRate {
    SPS_8(8, 0b000),
    SPS_16(16, 0b001),
    SPS_32(32, 0b010),
    SPS_64(64, 0b011),
    SPS_128(128, 0b100),
    SPS_250(250, 0b101),
    SPS_475(475, 0b110),
    SPS_860(860, 0b111);

    private final int samplesPerSecond;
    private final int bits;

    Ads1115DataRate(int samplesPerSecond, int bits) {
        this.samplesPerSecond = samplesPerSecond;
        this.bits = bits;
    }

    public static Optional<Ads1115DataRate> of(int samplesPerSecond) {
        return Arrays.stream(values()).filter(r -> r.samplesPerSecond == samplesPerSecond).findFirst();
    }

    public static String labels() {
        return Arrays.stream(values()).map(r -> String.valueOf(r.samplesPerSecond)).collect(Collectors.joining(", "));
    }

    public int bits() {
        return bits;
    }

    /** One conversion plus the datasheet's 10 % oscillator tolerance. */
    public long conversionNanos() {
        return 1_100_000_000L / samplesPerSecond;
    }
}
