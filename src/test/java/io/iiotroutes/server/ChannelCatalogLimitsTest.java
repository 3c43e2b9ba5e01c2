package io.iiotroutes.server;

import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.GroupConfig;
import io.iiotroutes.node.NodeConfig;
import io.iiotroutes.node.NodeConfigLoader;
import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelCatalogLimitsTest {

    private static NodeMessage message(String site, String node, String... channels) {
        List<Reading> readings = new ArrayList<>();
        for (String c : channels) {
            readings.add(Reading.good(c, 1.0, "bar", null));
        }
        return NodeMessage.live(site, node, 1, 1000, readings);
    }

    private static String[] names(String prefix, int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> prefix + i).toArray(String[]::new);
    }

    @Test
    void aNodeFloodingNewChannelNamesIsRefusedAtItsCapAndNothingOfTheMessageIsKept() throws Exception {
        ChannelCatalog catalog = new ChannelCatalog(List.of(), new IngestLimits(10, 10, 5, 100, 10));
        catalog.admit(message("s", "n", names("c", 0, 3)));

        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> catalog.admit(message("s", "n", names("c", 3, 3))));
        assertEquals(IngestLimits.CHANNELS_PER_NODE, e.limit());
        assertTrue(e.getMessage().startsWith("limit iiot.server.limits.max-unconfigured-channels-per-node (5) reached: "
                + "node s/n has 3 channels not in a node file and this message adds 3 (c3, c4, c5)"), e.getMessage());
        assertEquals(3, catalog.channels("s", "n").size(), "the refused message added nothing");
        catalog.admit(message("s", "n", "c0", "c3", "c4"));   // known channels and two that still fit
        assertEquals(5, catalog.channels("s", "n").size());
        catalog.admit(message("s", "n", names("c", 0, 5)));   // every channel known: no limit applies
        assertEquals(1L, catalog.refusals().get(IngestLimits.CHANNELS_PER_NODE));
    }

    @Test
    void theChannelsOfANodeFileAlwaysFit() throws Exception {
        NodeConfig configured = NodeConfigLoader.load(Path.of("config/nodes/node-1.yaml"));
        ChannelCatalog catalog = new ChannelCatalog(List.of(configured), new IngestLimits(0, 0, 0, 0, 10));
        List<String> channels = new ArrayList<>();
        List<Reading> readings = new ArrayList<>();
        for (GroupConfig group : configured.groups()) {
            for (ChannelConfig c : group.channels()) {
                channels.add(c.id());
                readings.add(Reading.good(c.id(), 1.0, c.unit(), null));
            }
        }

        catalog.admit(NodeMessage.live(configured.site(), configured.node(), 1, 1000, readings));

        assertThrows(LimitExceededException.class, () -> catalog.admit(message(configured.site(), configured.node(), "x")));
        assertThrows(LimitExceededException.class, () -> catalog.admit(message(configured.site(), "other", channels.get(0))));
    }

    /** A decoded status (a topic outside the namespace never gets this far: IngestDecoderTest). */
    private static NodeStatus status(String site, String node) {
        return new NodeStatus(site, node, "online", 1000);
    }

    @Test
    void boundsNewNodesPerSiteAndInAllForDataAndStatusAlike() throws Exception {
        ChannelCatalog catalog = new ChannelCatalog(List.of(), new IngestLimits(3, 2, 10, 100, 10));
        catalog.admit(message("a", "n1", "c"));
        catalog.admitNodeStatus(status("a", "n2"));

        LimitExceededException perSite = assertThrows(LimitExceededException.class, () -> catalog.admit(message("a", "n3", "c")));
        assertEquals(IngestLimits.NODES_PER_SITE, perSite.limit());
        assertThrows(LimitExceededException.class, () -> catalog.admitNodeStatus(status("a", "n3")));
        catalog.admit(message("b", "n1", "c"));
        LimitExceededException all = assertThrows(LimitExceededException.class, () -> catalog.admitNodeStatus(status("c", "n1")));
        assertEquals(IngestLimits.NODES, all.limit());
        assertEquals(3, catalog.nodes().size());
        assertEquals(2L, catalog.refusals().get(IngestLimits.NODES_PER_SITE));
        assertEquals(1L, catalog.refusals().get(IngestLimits.NODES));
    }

    @Test
    void boundsTheChannelsOfAllNodesTogether() throws Exception {
        ChannelCatalog catalog = new ChannelCatalog(List.of(), new IngestLimits(100, 100, 10, 15, 10));
        catalog.admit(message("s", "n1", names("c", 0, 10)));
        catalog.admit(message("s", "n2", names("c", 0, 5)));

        LimitExceededException e = assertThrows(LimitExceededException.class, () -> catalog.admit(message("s", "n3", "c0")));
        assertEquals(IngestLimits.CHANNELS, e.limit());
        assertTrue(!catalog.hasNode("s", "n3"), "a refused message adds no node either");
    }

    private static NodeMessage withUnits(String site, String node, String channel, String... units) {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < units.length; i++) {
            readings.add(Reading.good(channel + (units.length > 1 ? "-" + i : ""), 1.0, units[i], null));
        }
        return NodeMessage.live(site, node, 1, 1000, readings);
    }

    @Test
    void eachUnitOfAChannelNotInANodeFileCountsAsOneChannel() throws Exception {
        ChannelCatalog catalog = new ChannelCatalog(List.of(), new IngestLimits(10, 10, 3, 100, 10));
        catalog.admit(withUnits("s", "n", "c", "bar"));
        catalog.admit(withUnits("s", "n", "c", "mbar"));   // a unit change: a second series, within the cap
        catalog.admit(withUnits("s", "n", "c", "bar"));    // units already seen add nothing
        catalog.admit(withUnits("s", "n", "c", "psi"));
        assertEquals("psi", catalog.channel("s", "n", "c").orElseThrow().unit(), "the unit last admitted is shown");

        LimitExceededException e = assertThrows(LimitExceededException.class, () -> catalog.admit(withUnits("s", "n", "c", "kPa")));
        assertEquals(IngestLimits.CHANNELS_PER_NODE, e.limit());
        assertTrue(e.getMessage().startsWith("limit iiot.server.limits.max-unconfigured-channels-per-node (3) reached: "
                + "node s/n has 3 channels not in a node file and this message adds 1 (c [kPa]); each unit of a channel"
                + " counts as one channel"), e.getMessage());
        // a flood of units is refused message after message: however many units, the node's series stay at the cap
        for (int i = 0; i < 1000; i++) {
            String unit = "u" + i;
            assertThrows(LimitExceededException.class, () -> catalog.admit(withUnits("s", "n", "c", unit)));
        }
        assertEquals(1001L, catalog.refusals().get(IngestLimits.CHANNELS_PER_NODE));
        catalog.admit(withUnits("s", "n", "c", "mbar"));
        assertEquals(1, catalog.channels("s", "n").size());
    }

    @Test
    void theUnitsOfAllNodesCountTogetherToo() throws Exception {
        ChannelCatalog catalog = new ChannelCatalog(List.of(), new IngestLimits(10, 10, 10, 3, 10));
        catalog.admit(withUnits("s", "n1", "c", "a", "b"));
        catalog.admit(withUnits("s", "n2", "c", "a"));
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> catalog.admit(withUnits("s", "n2", "c", "b")));
        assertEquals(IngestLimits.CHANNELS, e.limit());
    }

    @Test
    void aChannelOfANodeFileSentWithAnotherUnitIsRefusedAsInvalid() throws Exception {
        NodeConfig configured = NodeConfigLoader.load(Path.of("config/nodes/node-1.yaml"));
        ChannelCatalog catalog = new ChannelCatalog(List.of(configured), new IngestLimits(0, 0, 0, 0, 10));
        catalog.admit(withUnits("demo", "node-1", "ai1", "bar"));

        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> catalog.admit(NodeMessage.live("demo", "node-1", 2, 2000,
                        List.of(Reading.good("ai1", 1.0, "bar", null), Reading.good("ai2", 1.0, "psi", null)))));
        assertFalse(e instanceof LimitExceededException, "a configuration error, not a limit");
        assertEquals("unit 'psi' of channel 'ai2' is not '%' as in the node file of demo/node-1 (iiot.server.nodes):"
                + " a unit change needs the server's node file changed too", e.getMessage());
        assertEquals("%", catalog.channel("demo", "node-1", "ai2").orElseThrow().unit());
        assertEquals(0L, catalog.refusals().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void gapRangesForgottenBeyondTheirLimitAreCountedAndShown() throws Exception {
        ChannelCatalog catalog = new ChannelCatalog(List.of(), new IngestLimits(10, 10, 10, 10, 2));
        io.micrometer.core.instrument.simple.SimpleMeterRegistry metrics = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        catalog.bindMetrics(metrics);
        NodeMonitor monitor = new NodeMonitor(2);
        monitor.countForgottenGapRanges(catalog::gapRangesForgotten);
        for (long seq = 0; seq <= 20; seq += 2) {
            monitor.observe(NodeMessage.live("s", "n", seq, 1000 + seq, List.of(Reading.good("c", 1.0, "bar", null))));
        }

        assertEquals(8L, catalog.refusals().get(IngestLimits.GAP_RANGES_PER_NODE), "ten gaps, two remembered");
        assertEquals(8.0, metrics.get("iiot.limit.refusals").tag("limit", IngestLimits.GAP_RANGES_PER_NODE)
                .functionCounter().count());
        com.fasterxml.jackson.databind.JsonNode limit = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(new PipelineApi(new DeadLetters(10), catalog).json()).get("limits").get(IngestLimits.GAP_RANGES_PER_NODE);
        assertEquals(8, limit.get("forgotten").asInt(), limit.toString());
        assertFalse(limit.has("refused"), "it refuses no message");
        assertEquals(10, monitor.nodes().get(0).completeness().gaps(), "forgotten numbers stay counted");
    }
}
