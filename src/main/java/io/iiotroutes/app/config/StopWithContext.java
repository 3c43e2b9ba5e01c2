package io.iiotroutes.app.config;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;

/**
 * Ties a resource's shutdown to the CamelContext: added as a context service, it is stopped after the routes
 * (services stop in reverse order of addition), so brokers and databases outlive the routes that use them.
 */
public final class StopWithContext implements Service {

    @FunctionalInterface
    public interface Stopper {
        void stop() throws Exception;
    }

    private final String name;
    private final Stopper stopper;
    private boolean stopped;

    /** Adds a context service that runs {@code stopper} when the context stops. */
    public static void register(CamelContext context, String name, Stopper stopper) {
        try {
            context.addService(new StopWithContext(name, stopper), true, false);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + name + " with the CamelContext", e);
        }
    }

    private StopWithContext(String name, Stopper stopper) {
        this.name = name;
        this.stopper = stopper;
    }

    @Override
    public void start() {
        // the resource was started when it was created
    }

    @Override
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            stopper.stop();
        } catch (Exception e) {
            throw new IllegalStateException("failed to stop " + name, e);
        }
    }

    @Override
    public String toString() {
        return "StopWithContext[" + name + "]";
    }
}
