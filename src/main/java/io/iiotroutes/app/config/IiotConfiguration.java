package io.iiotroutes.app.config;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelBeanPostProcessor;
import org.apache.camel.support.PluginHelper;

/**
 * One concern of the wiring (observability, web, broker, replicas, MQTT clients, TSDB, server state, server health,
 * edge, banner). A mode is a list of them ({@code IiotRuntime}), each called in list order at three moments of
 * camel-main's start:
 * <ol>
 *     <li>{@link #prepare}, before the route files are read: its {@code @BindToRegistry} methods (the beans made from
 *     the settings alone, bound by Camel's bean post-processor as camel-main does for its configuration classes),
 *     then {@link #configure}: embedded servers, clients and the beans the routes refer to by name that must be made
 *     in order (bound here rather than in the YAML files, whose beans are created anew on a live reload);</li>
 *     <li>{@link #afterRoutes}: the routes are read, not started: health checks, routes made from templates;</li>
 *     <li>{@link #contextStarted}, {@link #fullyStarted}: the HTTP server runs but the routes do not yet; then all
 *     runs.</li>
 * </ol>
 * A configuration reads its settings from its typed records ({@link IiotSettings}) and takes what other
 * configurations made through their accessors, given to its constructor. What it starts it registers with
 * {@code StopWithContext}, so it stops after the routes, in reverse order of the list.
 */
public interface IiotConfiguration extends CamelConfiguration {

    default void afterRoutes(CamelContext context) throws Exception {
    }

    default void contextStarted(CamelContext context) {
    }

    default void fullyStarted(CamelContext context) {
    }

    /** Binds the configuration's {@code @BindToRegistry} methods, then calls its {@link #configure}. */
    static void prepare(CamelContext context, IiotConfiguration configuration) throws Exception {
        CamelBeanPostProcessor beans = PluginHelper.getBeanPostProcessor(context);
        String name = configuration.getClass().getName();
        beans.postProcessBeforeInitialization(configuration, name);
        beans.postProcessAfterInitialization(configuration, name);
        configuration.configure(context);
    }
}
