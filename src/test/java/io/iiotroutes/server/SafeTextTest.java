package io.iiotroutes.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTextTest {

    @Test
    void escapesWhatWouldEndALineProtocolRecord() {
        assertEquals("a\\u000areading x=1\\u000d\\u0000", SafeText.of("a\nreading x=1\r\u0000"));
        assertTrue(SafeText.hasControlCharacters("deg\nC"));
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String text = "wire break, 3.5 mA \"low\" °C";
        assertSame(text, SafeText.of(text));
        assertFalse(SafeText.hasControlCharacters(text));
    }
}
