package io.iiotroutes.edge.driver;

import org.junit.jupiter.api.Test;

import static io.iiotroutes.edge.Channels.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AnalogFrontEndTest {

    @Test
    void shuntTurnsPinVoltsIntoMilliamps() {
        assertEquals(20.0, AnalogFrontEnd.toSignal(channel("a", "4-20mA", 0, 1, "u").shuntOhms(150).build(), 0, 3.0), 1e-12);
    }

    @Test
    void dividerScalesPinVoltsUp() {
        assertEquals(10.0, AnalogFrontEnd.toSignal(channel("a", "0-10V", 0, 1, "u").divider(3.125).build(), 0, 3.2), 1e-12);
    }

    @Test
    void excitationCurrentTurnsPinVoltsIntoOhms() {
        assertEquals(138.51, AnalogFrontEnd.toSignal(channel("a", "pt100", -200, 850, "°C").excitationMa(1.0).build(), 0, 0.13851), 1e-9);
    }

    @Test
    void rawPassesTheCounts() {
        assertEquals(777.0, AnalogFrontEnd.toSignal(channel("a", "raw", 0, 1, "u").signalRange(0, 1023).build(), 777, 2.5));
    }
}
