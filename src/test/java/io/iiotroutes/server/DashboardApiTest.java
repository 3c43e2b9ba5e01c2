package io.iiotroutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.edge.TestClock;
import io.iiotroutes.node.AlarmConfig;
import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.GroupConfig;
import io.iiotroutes.node.NodeConfig;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.tsdb.HistoryQuery;
import io.iiotroutes.tsdb.TsdbQueryException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DashboardApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestClock clock = new TestClock(1_700_000_000_000L);
    private final List<String> queries = new ArrayList<>();
    private boolean tsdbDown;

    private final HistoryQuery history = new HistoryQuery() {
        @Override
        public List<HistoryPoint> channel(String site, String node, String channel, Instant from, Instant to,
                                          Duration step, int limit) {
            if (tsdbDown) {
                throw new TsdbQueryException("connection refused");
            }
            queries.add(site + "/" + node + "/" + channel + " " + from.toEpochMilli() + ".." + to.toEpochMilli()
                    + " step " + step + " limit " + limit);
            List<HistoryPoint> points = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                points.add(new HistoryPoint(from.toEpochMilli() + i, (double) i, (double) i, (double) i, 1, "GOOD", (long) i));
            }
            return points;
        }

        @Override
        public List<AlarmRecord> alarms(Instant from, Instant to, int limit) {
            return List.of(new AlarmRecord(from.toEpochMilli(), "s", "n", "ai1", "H", "RAISED", 7L, 9.0, 8.0));
        }
    };

    private final NodeMonitor monitor = new NodeMonitor(100, clock);
    private final ChannelCatalog catalog = new ChannelCatalog(List.of(new NodeConfig("s", "n", null, null, List.of(
            new GroupConfig("g", 1000L, List.of(new ChannelConfig("ai1", null, "4-20mA", List.of(0.0, 10.0), null, "bar",
                    null, null, null, null, null, null, null, null, null, null, null,
                    new AlarmConfig(null, 8.0, null, null, null, null))))))));
    private final AlarmEvaluator alarms = new AlarmEvaluator(10, clock);
    private final DashboardApi api = new DashboardApi(monitor, catalog, alarms, history, 5, clock);

    DashboardApiTest() {
        catalog.configureAlarms(alarms);
    }

    private static JsonNode body(ApiResponse response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void assertError(int status, String text, ApiResponse response) throws Exception {
        assertEquals(status, response.status(), response.body());
        assertTrue(body(response).get("error").asText().contains(text), response.body());
        assertEquals(status, body(response).get("status").asInt());
    }

    @Test
    void configuredNodesAreListedBeforeTheyReport() throws Exception {
        JsonNode nodes = body(api.nodes());
        assertEquals(1, nodes.size());
        assertEquals("unknown", nodes.get(0).get("status").asText());
        assertTrue(nodes.get(0).get("completenessPercent").isNull());
        assertTrue(nodes.get(0).get("configured").asBoolean());

        NodeMessage message = NodeMessage.live("s", "n", 1, clock.millis(), List.of(Reading.good("ai1", 9.0, "bar", null),
                Reading.good("extra", 1.0, "V", null)));
        catalog.admit(message);
        monitor.observe(message);
        catalog.observe(message);
        alarms.evaluate(message);
        JsonNode node = body(api.nodes()).get(0);
        assertEquals(100.0, node.get("completenessPercent").asDouble());
        assertEquals(2, node.get("channels").asInt(), "a channel only seen in messages is listed too");
        assertEquals(1, node.get("activeAlarms").asInt());
        JsonNode extra = body(api.channels("s", "n")).get(1);
        assertEquals("extra", extra.get("channel").asText());
        assertEquals("V", extra.get("unit").asText());
        assertTrue(extra.get("range").isNull());
        assertEquals(false, extra.get("configured").asBoolean());
    }

    @Test
    void historyDefaultsToTheLastHourOfRawReadingsAndCapsThePoints() throws Exception {
        JsonNode raw = body(api.history("s", "n", "ai1", null, null, null));
        assertEquals("s/n/ai1 " + (clock.millis() - 3_600_000) + ".." + clock.millis() + " step null limit 5", queries.get(0));
        assertTrue(raw.get("truncated").asBoolean(), "6 points returned for a cap of 5");
        assertEquals(5, raw.get("points").size());
        assertEquals("bar", raw.get("unit").asText());

        JsonNode stepped = body(api.history("s", "n", "ai1", "0", "60000", "15s"));
        assertEquals("s/n/ai1 0..60000 step PT15S limit 5", queries.get(1));
        assertEquals(15_000, stepped.get("step").asLong());
        assertEquals(1, stepped.get("points").get(0).get("count").asLong());
        assertTrue(stepped.get("points").get(0).has("min"));

        body(api.history("s", "n", "ai1", "1970-01-01T00:00:01Z", "1970-01-01T00:00:02.500Z", "raw"));
        assertEquals("s/n/ai1 1000..2500 step null limit 5", queries.get(2));
    }

    @Test
    void badParametersAreClientErrors() throws Exception {
        assertError(404, "unknown node s/x", api.history("s", "x", "ai1", null, null, null));
        assertError(404, "unknown channel 'ai2'", api.history("s", "n", "ai2", null, null, null));
        assertError(400, "site must match", api.history("s s", "n", "ai1", null, null, null));
        assertError(400, "channel must match", api.history("s", "n", null, null, null, null));
        assertError(400, "'from' must be", api.history("s", "n", "ai1", "soon", null, null));
        assertError(400, "must be before", api.history("s", "n", "ai1", "10", "10", null));
        assertError(400, "'step' must be raw", api.history("s", "n", "ai1", null, null, "1x"));
        assertError(400, "at least 1ms", api.history("s", "n", "ai1", null, null, "0ms"));
        assertError(400, "too many points: 6 steps", api.history("s", "n", "ai1", "0", "60000", "10s"));
        assertError(404, "unknown node", api.node("s", "x"));
        assertError(404, "unknown node", api.channels("t", "n"));
        assertError(400, "'to' must be", api.alarmHistory(null, "2024-02-30T00:00:00Z"));
        assertError(400, "alarm id must be a number", api.acknowledge("x1"));
        assertError(404, "no active alarm 5", api.acknowledge("5"));
        assertTrue(queries.isEmpty(), "no query for a bad request");
        tsdbDown = true;
        assertError(503, "TSDB unavailable", api.history("s", "n", "ai1", null, null, null));
    }

    @Test
    void acknowledgingCarriesTheEventToPublish() throws Exception {
        alarms.evaluate("s", "n", "ai1", 9.0, io.iiotroutes.model.Quality.GOOD, "bar");
        long id = alarms.active().get(0).id();
        ApiResponse ack = api.acknowledge(Long.toString(id));
        assertEquals(200, ack.status());
        assertEquals(AlarmEvaluator.EventType.ACKNOWLEDGED, ack.alarmEvent().event());
        assertEquals("ACKNOWLEDGED", body(ack).get("event").asText());
        assertEquals("alarm", body(ack).get("type").asText());
        ApiResponse again = api.acknowledge(" " + id + " ");
        assertEquals(409, again.status());
        assertNull(again.alarmEvent());
        JsonNode state = body(api.alarms());
        assertTrue(state.get("active").get(0).get("acknowledged").asBoolean());
        assertEquals(List.of("ACKNOWLEDGED", "RAISED"), state.get("events").findValuesAsText("event"));
        assertEquals("RAISED", body(api.alarmHistory(null, null)).get("events").get(0).get("event").asText());
    }

    @Test
    void theNodeListCostsLittlePerNodeWhateverTheNumberOfNodesAndChannels() throws Exception {
        // as many nodes as the default limits admit, each with 20 channels of its own
        ChannelCatalog many = new ChannelCatalog(List.of(), new IngestLimits(2000, 2000, 20, 40_000, 10));
        NodeMonitor nodes = new NodeMonitor(10, clock);
        for (int n = 0; n < 2000; n++) {
            List<Reading> readings = new ArrayList<>();
            for (int c = 0; c < 20; c++) {
                readings.add(Reading.good("c" + c, c, "bar", null));
            }
            NodeMessage message = NodeMessage.live("s", "n" + n, 1, clock.millis(), readings);
            many.admit(message);
            nodes.observe(message);
        }
        DashboardApi big = new DashboardApi(nodes, many, alarms, history, 5, clock);

        big.nodes();   // warm up
        long start = System.nanoTime();
        JsonNode list = body(big.nodes());
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(2000, list.size());
        assertEquals(20, list.get(0).get("channels").asInt());
        assertTrue(millis < 1000, "/api/nodes took " + millis + " ms for 2,000 nodes and 40,000 channels");
    }
}
