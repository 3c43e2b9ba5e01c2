package io.iiotroutes.edge.convert;

import io.iiotroutes.model.Quality;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ne43Test {

    @ParameterizedTest
    @CsvSource({
        "0.0,   BAD",
        "3.59,  BAD",
        "3.6,   UNCERTAIN",
        "3.7,   UNCERTAIN",
        "3.79,  UNCERTAIN",
        "3.8,   GOOD",
        "4.0,   GOOD",
        "12.0,  GOOD",
        "20.5,  GOOD",
        "20.6,  UNCERTAIN",
        "21.0,  UNCERTAIN",
        "21.1,  BAD",
        "24.0,  BAD",
    })
    void classifiesLoopCurrent(double mA, Quality expected) {
        assertEquals(expected, Ne43.quality(mA));
        if (expected == Quality.GOOD) {
            assertNull(Ne43.reason(mA));
        } else {
            assertTrue(Ne43.reason(mA).contains("NE43"), Ne43.reason(mA));
        }
    }
}
