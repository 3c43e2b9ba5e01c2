package io.iiotroutes.app;

import io.iiotroutes.app.config.Settings;
import org.apache.camel.CamelContext;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
    private final Main main;
    private final IiotRuntime runtime;

    public IiotApplication(Mode mode, Map<String, String> overrides) {
        this.mode = mode;
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
        main.addMainListener(runtime);
        // one Prometheus registry for the pipeline's own meters (scraped at /observe/metrics); bound before any
        // route file is read, because YAML beans that register meters are created while the files are parsed
        main.bind("meterRegistry", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Environment variables named after the keys of the mode's properties files (IIOT_WEB_PORT for iiot.web.port). */
    static Map<String, String> environmentValues(Mode mode) {
        Map<String, String> values = new TreeMap<>();
        for (String resource : List.of(mode.propertiesResource(), "iiot-common.properties")) {
            Properties properties = new Properties();
            try (InputStream in = IiotApplication.class.getClassLoader().getResourceAsStream(resource)) {
                properties.load(in);
            } catch (IOException | NullPointerException e) {
                throw new IllegalStateException("cannot read " + resource + " from the classpath", e);
            }
            for (String key : properties.stringPropertyNames()) {
                String value = System.getenv(environmentName(key));
                if (value != null) {
                    values.put(key, value);
                }
            }
        }
        return values;
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

    /** camel.main.shutdownTimeout (graceful stop of the routes) plus iiot.shutdown.grace-seconds (the rest). */
    private Duration shutdownLimit() {
        CamelContext context = main.getCamelContext();
        if (context == null) {
            return Duration.ofSeconds(30);
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
