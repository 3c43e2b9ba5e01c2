package io.iiotroutes.app;

import io.iiotroutes.app.config.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;

import java.util.Map;

/**
 * One running IIoT Routes process: camel-main configured for a {@link Mode}, with property overrides. Used by the
 * command line ({@link #run()}, blocking) and by tests ({@link #start()} / {@link #stop()}).
 */
public class IiotApplication {

    private final Mode mode;
    private final Map<String, String> overrides;
    private final Main main;
    private final IiotRuntime runtime;

    public IiotApplication(Mode mode, Map<String, String> overrides) {
        this.mode = mode;
        this.overrides = Map.copyOf(overrides);
        this.main = new Main();
        this.runtime = new IiotRuntime(mode);
        // the first location that defines a key wins: the mode's file over the common one; environment variables
        // and command-line overrides win over both
        main.setPropertyPlaceholderLocations("classpath:" + mode.propertiesResource() + ",classpath:iiot-common.properties");
        // Precedence: command line, then environment, then files. Camel alone would let the environment beat the
        // command line, so environment values of the files' keys become override properties here, and the
        // environment stays a fallback for keys no file defines (e.g. iiot.mqtt.url, iiot.tsdb.token).
        environmentValues(mode).forEach((key, value) -> {
            if (!overrides.containsKey(key)) {
                main.addOverrideProperty(key, value);
            }
        });
        overrides.forEach(main::addOverrideProperty);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                ((PropertiesComponent) support.getCamelContext().getPropertiesComponent())
                        .setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK);
            }
        });
        // the meter registry, the embedded servers, the clients and the beans the routes name: IiotRuntime's
        // configurations, before the route files are read (ObservabilityConfiguration binds 'meterRegistry', which
        // Camel's own metrics, camel.metrics.*, then take as theirs)
        main.addMainListener(runtime);
    }

    /** Environment variables named after the keys of the mode's properties files (IIOT_WEB_PORT for iiot.web.port). */
    static Map<String, String> environmentValues(Mode mode) {
        Map<String, String> values = new TreeMap<>();
        for (String key : fileProperties(mode).stringPropertyNames()) {
            String value = System.getenv(environmentName(key));
            if (value != null) {
                values.put(key, value);
            }
        }
        return values;
    }

    /** The mode's properties files as read from the classpath, the mode's file over the common one (no placeholders resolved). */
    static Properties fileProperties(Mode mode) {
        Properties properties = new Properties();
        for (String resource : List.of("iiot-common.properties", mode.propertiesResource())) {
            try (InputStream in = IiotApplication.class.getClassLoader().getResourceAsStream(resource)) {
                properties.load(in);
            } catch (IOException | NullPointerException e) {
                throw new IllegalStateException("cannot read " + resource + " from the classpath", e);
            }
        }
        return properties;
    }

    /**
     * A setting before Camel runs, with the application's precedence (command line, environment, files), for what
     * must be known without a CamelContext (the log folder, a shutdown asked for during start-up); its value as
     * written, placeholders not resolved.
     */
    static String launchSetting(Mode mode, Map<String, String> overrides, String key) {
        String value = overrides.get(key);
        if (value == null) {
            value = System.getenv(environmentName(key));
        }
        if (value == null) {
            value = fileProperties(mode).getProperty(key);
        }
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing setting '" + key + "'");
        }
        return value.trim();
    }

    static String environmentName(String key) {
        return Settings.environmentName(key);
    }

    /** Runs until the JVM is asked to stop (Ctrl+C, SIGTERM). */
    public void run() throws Exception {
        ShutdownWatchdog watchdog = new ShutdownWatchdog(this::shutdownLimit);
        watchdog.install();
        try {
            main.run();
        } finally {
            watchdog.stopped();
        }
    }

    /**
     * camel.main.shutdownTimeout (graceful stop of the routes) plus iiot.shutdown.grace-seconds (the rest); read
     * before Camel when it has no context yet (a stop asked for early in the start-up).
     */
    Duration shutdownLimit() {
        CamelContext context = main.getCamelContext();
        if (context == null) {
            return Duration.ofSeconds(Long.parseLong(launchSetting(mode, overrides, "camel.main.shutdownTimeout"))
                    + Long.parseLong(launchSetting(mode, overrides, "iiot.shutdown.grace-seconds")));
        }
        Settings settings = Settings.of(context);
        return Duration.ofSeconds(settings.number("camel.main.shutdownTimeout") + settings.number("iiot.shutdown.grace-seconds"));
    }

    /** Starts without blocking; the caller must call {@link #stop()}. */
    public void start() throws Exception {
        main.start();
    }

    public void stop() throws Exception {
        main.stop();
    }

    public Mode mode() {
        return mode;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public IiotRuntime runtime() {
        return runtime;
    }
}
