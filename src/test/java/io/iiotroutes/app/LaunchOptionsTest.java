package io.iiotroutes.app;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaunchOptionsTest {

    @Test
    void readsModeAndOverrides() {
        LaunchOptions options = LaunchOptions.parse("server", "--iiot.web.port=8081", "--iiot.mqtt.url=tcp://b:1883");

        assertEquals(Mode.SERVER, options.mode());
        assertEquals(Map.of("iiot.web.port", "8081", "iiot.mqtt.url", "tcp://b:1883"), options.overrides());
    }

    @Test
    void helpNeedsNoMode() {
        assertTrue(LaunchOptions.parse("--help").help());
        assertTrue(LaunchOptions.usage().contains("demo"));
        assertTrue(LaunchOptions.usage().contains("IIOT_MQTT_URL"));
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse());
        assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse("cloud"));
        assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse("demo", "--novalue"));
        assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse("demo", "edge"));
    }

    @Test
    void eachModeHasItsPropertiesFile() {
        for (Mode mode : Mode.values()) {
            assertTrue(getClass().getClassLoader().getResource(mode.propertiesResource()) != null, mode.id());
        }
    }
}
