package io.iiotroutes.mqtt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedSubscriptionTest {

    @Test
    void aSharedSubscriptionNamesItsGroupAndFilter() {
        SharedSubscription shared = SharedSubscription.parse("$share/iiot-server/iiot/v1/+/+/data");

        assertTrue(shared.shared());
        assertEquals("iiot-server", shared.group());
        assertEquals("iiot/v1/+/+/data", shared.filter());
    }

    @Test
    void aPlainFilterIsNotShared() {
        SharedSubscription plain = SharedSubscription.parse("iiot/v1/+/+/data");

        assertFalse(plain.shared());
        assertEquals("iiot/v1/+/+/data", plain.filter());
    }

    @Test
    void aBrokenShareIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SharedSubscription.parse("$share/iiot-server"));
        assertThrows(IllegalArgumentException.class, () -> SharedSubscription.parse("$share//iiot/v1/#"));
        assertThrows(IllegalArgumentException.class, () -> SharedSubscription.parse("$share/a+b/iiot/v1/#"));
        assertThrows(IllegalArgumentException.class, () -> SharedSubscription.parse(" "));
    }
}
