package io.iiotroutes.server;

import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeMonitorTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final NodeMonitor monitor = new NodeMonitor(100, Clock.fixed(Instant.ofEpochMilli(5000), ZoneOffset.UTC));

    @org.junit.jupiter.api.BeforeEach
    void bindMetrics() {
        monitor.bindMetrics(metrics);
    }

    private static NodeMessage message(long seq) {
        return NodeMessage.live("s", "n", seq, 4000 + seq, List.of(Reading.good("a", 1, "V", null)));
    }

    @Test
    void followsStatusMessagesAndData() {
        assertNull(monitor.status("iiot/v1/s/n/status", "not json".getBytes(StandardCharsets.UTF_8)));
        String offline = monitor.status("iiot/v1/s/n/status",
                "{\"state\":\"offline\",\"ts\":4500}".getBytes(StandardCharsets.UTF_8)).getInfluxPoints().get(0).toLineProtocol();

        assertEquals("node_status,node=n,site=s online=false,state=\"offline\" 4500", offline);
        assertEquals("offline", monitor.nodes().get(0).status());

        monitor.observe(message(1));
        monitor.observe(message(3));
        assertEquals("offline", monitor.nodes().get(0).status(), "data drained after the offline status changes nothing");
        monitor.status("iiot/v1/s/n/status", "{\"state\":\"online\",\"ts\":4600}".getBytes(StandardCharsets.UTF_8));

        NodeMonitor.NodeState state = monitor.nodes().get(0);
        assertEquals("online", state.status());
        assertEquals(5000, state.lastSeen());
        assertEquals(4003, state.lastSourceTimestamp());
        assertEquals(1, state.completeness().gaps());
        assertEquals(1.0, metrics.get("iiot.sequence.gaps").tags("site", "s", "node", "n").gauge().value());
        assertEquals(1.0, metrics.get("iiot.node.online").tags("site", "s", "node", "n").gauge().value());
        assertEquals(2.0, metrics.get("iiot.messages.received").tags("site", "s", "node", "n").functionCounter().count());
    }

    @Test
    void reportsCompletenessAsPointsAndJson() throws Exception {
        assertNull(monitor.completenessPoints());
        monitor.observe(message(1));
        monitor.observe(message(1));

        String line = monitor.completenessPoints().getInfluxPoints().get(0).toLineProtocol();

        assertEquals("completeness,node=n,site=s duplicates=1i,gaps=0i,last_seq=1i,received=2i,resets=0i 5000", line);
        assertTrue(monitor.nodesJson().contains("\"duplicates\":1"), monitor.nodesJson());
    }
}
