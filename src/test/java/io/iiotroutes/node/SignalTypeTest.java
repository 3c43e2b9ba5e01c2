package io.iiotroutes.node;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalTypeTest {

    @Test
    void namesAreCaseInsensitiveAndAcceptThePlusMinusSign() {
        assertEquals(Optional.of(SignalType.MA_4_20), SignalType.find("4-20MA"));
        assertEquals(Optional.of(SignalType.VOLT_PM_10), SignalType.find("±10V"));
        assertEquals(Optional.of(SignalType.VOLT_PM_10), SignalType.find(" +-10v "));
        assertEquals(Optional.of(SignalType.PT100), SignalType.find("PT100"));
        assertEquals(Optional.empty(), SignalType.find("4-20"));
        assertEquals(Optional.empty(), SignalType.find(null));
    }

    @Test
    void kindsAndSpans() {
        assertTrue(SignalType.MA_0_20.isCurrent());
        assertTrue(SignalType.VOLT_0_5.isVoltage());
        assertTrue(SignalType.PT1000.isRtd());
        assertFalse(SignalType.RAW.isVoltage());
        assertEquals(4.0, SignalType.MA_4_20.low());
        assertEquals(-10.0, SignalType.VOLT_PM_10.low());
        assertEquals(1000.0, SignalType.PT1000.r0());
        assertThrows(IllegalStateException.class, SignalType.MA_4_20::r0);
        assertEquals("mA", SignalType.MA_0_20.unit());
        assertEquals("ohm", SignalType.PT100.unit());
    }
}
