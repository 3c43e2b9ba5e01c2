package io.iiotroutes.edge.convert;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LinearScaleTest {

    @Test
    void twelveMilliampsOnAFourToTwentyZeroToTenBarTransmitterIsFiveBar() {
        LinearScale scale = new LinearScale(4, 20, 0, 10);
        assertEquals(5.0, scale.apply(12), 1e-12);
        assertEquals(0.0, scale.apply(4), 1e-12);
        assertEquals(10.0, scale.apply(20), 1e-12);
    }

    @Test
    void scalesOffsetAndReversedEngineeringRanges() {
        assertEquals(-20.0, new LinearScale(0, 10, -50, 150).apply(1.5), 1e-12);
        assertEquals(75.0, new LinearScale(0, 10, 100, 0).apply(2.5), 1e-12);
        assertEquals(-0.0625 * 10, new LinearScale(4, 20, 0, 10).apply(3), 1e-12);
    }
}
