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
        String offline = monitor.status(new NodeStatus("s", "n", "offline", 4500)).getInfluxPoints().get(0).toLineProtocol();

        assertEquals("node_status,node=n,site=s online=false,state=\"offline\" 4500", offline);
        assertEquals("offline", monitor.nodes().get(0).status());

        monitor.observe(message(1));
        monitor.observe(message(3));
        assertEquals("offline", monitor.nodes().get(0).status(), "data drained after the offline status changes nothing");
        monitor.status(new NodeStatus("s", "n", "online", 4600));

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

        assertEquals("completeness,node=n,site=s duplicates=1i,gaps=0i,last_seq=1i,online=0i,received=2i,resets=0i,silent_s=0i 5000", line);
        assertTrue(monitor.nodesJson().contains("\"duplicates\":1"), monitor.nodesJson());
    }

    @Test
    void reportsSilenceOfConfiguredNodesAcrossRestarts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(100_000);
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return Instant.ofEpochMilli(now.get()); }
        };
        LastHeardFile file = new LastHeardFile(dir.resolve("last-heard.json"), 10);
        NodeMonitor first = new NodeMonitor(100, clock);
        first.expect(List.of("s/quiet", "s/n"));
        first.rememberLastHeard(file);
        now.set(160_000);
        first.seen(message(1));
        now.set(190_000);

        assertEquals(java.util.Map.of("s/n", 30L, "s/quiet", 90L), silence(first.completenessPoints()),
                "seen 30 s ago; configured and never heard: since the server first expected it");

        // restarted 10 minutes later: both still silent, counted from when they last spoke, not from the restart
        now.set(790_000);
        NodeMonitor restarted = new NodeMonitor(100, clock);
        restarted.expect(List.of("s/quiet", "s/n"));
        restarted.rememberLastHeard(file);
        now.set(800_000);
        assertEquals(java.util.Map.of("s/n", 640L, "s/quiet", 700L), silence(restarted.completenessPoints()));

        restarted.seen(message(2));
        assertEquals(0L, silence(restarted.completenessPoints()).get("s/n"), "it spoke");
    }

    /** silent_s of each reported node, by "site/node". */
    private static java.util.Map<String, Long> silence(org.apache.camel.component.influxdb2.data.Points points) {
        java.util.Map<String, Long> silence = new java.util.TreeMap<>();
        for (com.influxdb.client.write.Point p : points.getInfluxPoints()) {
            String line = p.toLineProtocol();
            java.util.regex.Matcher node = java.util.regex.Pattern.compile("node=([^, ]+),site=([^, ]+)").matcher(line);
            java.util.regex.Matcher silent = java.util.regex.Pattern.compile("silent_s=(\\d+)i").matcher(line);
            assertTrue(node.find() && silent.find(), line);
            silence.put(node.group(2) + "/" + node.group(1), Long.parseLong(silent.group(1)));
        }
        return silence;
    }
}
