package io.iiotroutes.edge.driver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PauseTest {

    @Test
    void realPauseWaitsAtLeastTheConversionTime() {
        long wanted = Ads1115DataRate.SPS_860.conversionNanos(); // 1.28 ms: the shortest wait a driver asks for
        long start = System.nanoTime();
        Pause.REAL.pause(wanted);
        assertTrue(System.nanoTime() - start >= wanted);
    }
}
