package io.iiotroutes.edge.driver;

import java.util.concurrent.locks.LockSupport;

/** Waits for hardware (ADC conversion time); tests pass a recording no-op instead. */
@FunctionalInterface
public interface Pause {

    Pause REAL = nanos -> {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    };

    void pause(long nanos);
}
