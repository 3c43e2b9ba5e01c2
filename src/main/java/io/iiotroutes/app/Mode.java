package io.iiotroutes.app;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The three ways to run IIoT Routes; each loads its own properties file over the common one. */
public enum Mode {
    EDGE("edge node: samples its channels and publishes them over MQTT (routes from edge-routes/)"),
    SERVER("server: subscribes, validates, stores in the TSDB and broadcasts live (routes from routes/)"),
    DEMO("everything in one process: embedded broker and TSDB, two simulated nodes, server and web page");

    private final String description;

    Mode(String description) {
        this.description = description;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    /** The properties file on the classpath that holds this mode's defaults. */
    public String propertiesResource() {
        return "iiot-" + id() + ".properties";
    }

    public boolean runsEdge() {
        return this != SERVER;
    }

    public boolean runsServer() {
        return this != EDGE;
    }

    public static Mode parse(String text) {
        for (Mode mode : values()) {
            if (mode.id().equalsIgnoreCase(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + text + "': use one of "
                + Arrays.stream(values()).map(Mode::id).collect(Collectors.joining(", ")));
    }
}
