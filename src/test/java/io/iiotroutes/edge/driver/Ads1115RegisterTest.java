package io.iiotroutes.edge.driver;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Config register bits and count scaling, against the ADS1115 datasheet tables. */
class Ads1115RegisterTest {

    @ParameterizedTest
    @CsvSource({
        // input, full scale V, SPS, expected config word
        "0, 4.096, 128, C383",
        "1, 2.048, 860, D5E3",
        "2, 6.144,   8, E103",
        "3, 0.256, 250, FBA3",
        "0, 1.024,  16, C723",
        "2, 0.512, 475, E9C3",
    })
    void configWordHasStartBitMuxGainSingleShotRateAndComparatorOff(int input, double fullScale, int sps, String hex) {
        Ads1115Gain gain = Ads1115Gain.of(fullScale).orElseThrow();
        Ads1115DataRate rate = Ads1115DataRate.of(sps).orElseThrow();
        assertEquals(Integer.parseInt(hex, 16), Ads1115Driver.configWord(input, gain, rate));
    }

    @ParameterizedTest
    @CsvSource({
        // full scale V, LSB µV, volts at 0x7FFF, counts, volts at those counts
        "6.144, 187.5,      6.1438125, 16000, 3.0",
        "4.096, 125.0,      4.095875,  16000, 2.0",
        "2.048, 62.5,       2.0479375, 16000, 1.0",
        "1.024, 31.25,      1.02396875,16000, 0.5",
        "0.512, 15.625,     0.511984375,16000, 0.25",
        "0.256, 7.8125,     0.2559921875,16000, 0.125",
    })
    void countsScaleWithTheProgrammedGain(double fullScale, double lsbMicroVolts, double atMax, int counts, double volts) {
        Ads1115Gain gain = Ads1115Gain.of(fullScale).orElseThrow();
        assertEquals(lsbMicroVolts, gain.lsbVolts() * 1e6, 1e-9);
        assertEquals(atMax, gain.toVolts(0x7FFF), 1e-12);
        assertEquals(-fullScale, gain.toVolts(-32768), 1e-12);
        assertEquals(volts, gain.toVolts(counts), 1e-12);
    }
}
