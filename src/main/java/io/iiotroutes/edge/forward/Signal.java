package io.iiotroutes.edge.forward;

/** A wake-up flag for the replay thread: a raise before the wait is not lost. */
final class Signal {

    private boolean raised;

    synchronized void raise() {
        raised = true;
        notifyAll();
    }

    /** Waits until raised or {@code millis} passed, and clears the flag. */
    synchronized void await(long millis) {
        try {
            if (!raised) {
                wait(millis);
            }
        } catch (InterruptedException e) {
            // only our own shutdown interrupts; the caller re-checks whether it should keep running
        }
        raised = false;
    }
}
