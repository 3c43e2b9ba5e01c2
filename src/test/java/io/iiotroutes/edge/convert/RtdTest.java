package io.iiotroutes.edge.convert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** IEC 60751 table values (Pt100 / Pt1000), both directions. */
class RtdTest {

    @ParameterizedTest
    @CsvSource({
        // °C, R0, ohm from the IEC 60751 table
        "0,    100,  100.00",
        "100,  100,  138.51",
        "-50,  100,  80.31",
        "-200, 100,  18.52",
        "850,  100,  390.48",
        "21.5, 100,  108.38",
        "100,  1000, 1385.06",
        "0,    1000, 1000.00",
    })
    void resistanceMatchesTheStandardTable(double celsius, double r0, double ohms) {
        assertEquals(ohms, Rtd.resistance(celsius, r0), 0.005 * r0 / 100);
    }

    @ParameterizedTest
    @CsvSource({
        "100.00, 100,  0",
        "138.51, 100,  100",
        "80.31,  100,  -50",
        "18.52,  100,  -200",
        "390.48, 100,  850",
        "1385.1, 1000, 100",
        "803.1,  1000, -50",
    })
    void temperatureFromTheStandardTableResistance(double ohms, double r0, double celsius) {
        assertEquals(celsius, Rtd.temperature(ohms, r0), 0.02);
    }

    @Test
    void pt100At100DegreesIsExactly138Point5055Ohm() {
        assertEquals(138.5055, Rtd.resistance(100, 100), 1e-9);
    }

    @Test
    void inverseIsExactOverTheWholeRange() {
        for (double t = -200; t <= 850; t += 0.5) {
            assertEquals(t, Rtd.temperature(Rtd.resistance(t, 100), 100), 1e-7, "at " + t + " °C");
            assertEquals(t, Rtd.temperature(Rtd.resistance(t, 1000), 1000), 1e-7, "at " + t + " °C");
        }
    }
}
