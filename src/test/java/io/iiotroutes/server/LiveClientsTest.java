package io.iiotroutes.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LiveClientsTest {

    @Test
    void countsOpenConnectionsFromTheSocketEvents() {
        LiveClients clients = new LiveClients();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        clients.bindMetrics(registry);

        clients.event("OPEN", "a");
        clients.event("OPEN", "b");
        clients.event("MESSAGE", "b");
        clients.event("OPEN", "a"); // the same connection once
        assertEquals(2, clients.count());
        clients.event("CLOSE", "a");
        clients.event("ERROR", "b");
        clients.event("CLOSE", "never-opened");
        clients.event(null, null);

        assertEquals(0, clients.count());
        assertEquals(0.0, registry.get("iiot.websocket.clients").gauge().value());
    }
}
