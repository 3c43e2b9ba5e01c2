package io.iiotroutes.edge.sim;

import io.iiotroutes.node.FaultConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultWindowTest {

    @Test
    void onceForADuration() {
        FaultConfig f = new FaultConfig("stuck", 10.0, 5.0, null, null);
        assertFalse(f.activeAt(9.99));
        assertTrue(f.activeAt(10));
        assertTrue(f.activeAt(14.99));
        assertFalse(f.activeAt(15));
        assertFalse(f.activeAt(1000));
    }

    @Test
    void foreverWithoutDuration() {
        FaultConfig f = new FaultConfig("wire-break", 3.0, null, null, null);
        assertFalse(f.activeAt(2));
        assertTrue(f.activeAt(3));
        assertTrue(f.activeAt(1e6));
    }

    @Test
    void repeatedEveryPeriod() {
        FaultConfig f = new FaultConfig("spike", 10.0, 1.0, 60.0, null);
        assertTrue(f.activeAt(10.5));
        assertFalse(f.activeAt(11));
        assertFalse(f.activeAt(69.9));
        assertTrue(f.activeAt(70.5));
        assertTrue(f.activeAt(130));
    }
}
