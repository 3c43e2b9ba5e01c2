package io.iiotroutes.app.config;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * One concern of the wiring (broker, MQTT clients, TSDB, server state, web, edge, observability, banner). A mode is
 * a list of them ({@code IiotRuntime}), each called in list order at three moments of camel-main's start:
 * <ol>
 *     <li>{@link #configure}: before the route files are read: embedded servers, clients and the beans the routes
 *     refer to by name (bound here rather than in the YAML files, whose beans are created anew on a live reload);</li>
 *     <li>{@link #afterRoutes}: the routes are read, not started: health checks, routes made from templates;</li>
 *     <li>{@link #contextStarted}, {@link #fullyStarted}: the HTTP server runs but the routes do not yet; then all
 *     runs.</li>
 * </ol>
 * What a configuration starts it registers with {@code StopWithContext}, so it stops after the routes, in reverse
 * order of the list.
 */
public interface IiotConfiguration extends CamelConfiguration {

    default void afterRoutes(CamelContext context) throws Exception {
    }

    default void contextStarted(CamelContext context) {
    }

    default void fullyStarted(CamelContext context) {
    }
}
