package io.iiotroutes.app;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

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
        overrides.forEach(main::addOverrideProperty);
        main.addMainListener(runtime);
    }

    /** Runs until the JVM is asked to stop (Ctrl+C, SIGTERM). */
    public void run() throws Exception {
        main.run();
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
