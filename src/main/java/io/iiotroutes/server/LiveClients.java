package io.iiotroutes.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The browsers connected to the live WebSocket, counted from the socket's open and close events. */
public class LiveClients {

    private final Set<String> connections = ConcurrentHashMap.newKeySet();

    /** event: the WebSocket event name (OPEN, CLOSE, ERROR, MESSAGE); others than open/close are ignored. */
    public void event(String event, String connectionKey) {
        if (event == null || connectionKey == null) {
            return;
        }
        switch (event) {
            case "OPEN" -> connections.add(connectionKey);
            case "CLOSE", "ERROR" -> connections.remove(connectionKey);
            default -> { }
        }
    }

    public int count() {
        return connections.size();
    }

    public void bindMetrics(MeterRegistry registry) {
        Gauge.builder("iiot.websocket.clients", this, LiveClients::count)
                .description("Browsers connected to the live WebSocket").register(registry);
    }
}
