package io.iiotroutes.server;

import io.iiotroutes.node.NodeConfigException;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelCatalogTest {

    @TempDir
    Path dir;

    @Test
    void readsTheShippedDemoNodesWithTheEdgeParser() throws NodeConfigException {
        ChannelCatalog catalog = ChannelCatalog.load("config/nodes/node-1.yaml, config/nodes/node-2.yaml");
        assertEquals(2, catalog.nodes().size());
        ChannelCatalog.ChannelInfo ai1 = catalog.channel("demo", "node-1", "ai1").orElseThrow();
        assertEquals("bar", ai1.unit());
        assertEquals(List.of(0.0, 10.0), ai1.range());
        assertEquals(8.0, ai1.alarms().h());
        assertEquals("°C", catalog.channel("demo", "node-2", "rtd1").orElseThrow().unit(), "RTD default unit");
        AlarmEvaluator alarms = new AlarmEvaluator(10);
        catalog.configureAlarms(alarms);
        assertTrue(alarms.hasLimits("demo", "node-2", "ai3"));
    }

    @Test
    void globsInTheFileNameAndBlankLists() throws Exception {
        Files.copy(Path.of("config/nodes/node-1.yaml"), dir.resolve("a.yaml"));
        Files.copy(Path.of("config/nodes/node-2.yaml"), dir.resolve("b.yaml"));
        Files.writeString(dir.resolve("notes.txt"), "not a node");
        assertEquals(List.of(dir.resolve("a.yaml"), dir.resolve("b.yaml")), ChannelCatalog.files(dir + "/*.yaml"));
        assertEquals(2, ChannelCatalog.load(dir + "/*.yaml").nodes().size());
        assertTrue(ChannelCatalog.load("").nodes().isEmpty());
        assertTrue(ChannelCatalog.load(" , ").channels().isEmpty());
    }

    @Test
    void aBrokenFileStopsTheStartWithItsName() throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), "site: s\nnode: n\n");
        NodeConfigException e = assertThrows(NodeConfigException.class, () -> ChannelCatalog.load(dir.resolve("bad.yaml").toString()));
        assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
        assertThrows(NodeConfigException.class, () -> ChannelCatalog.load(dir.resolve("missing.yaml").toString()));
    }

    @Test
    void latestReadingPerChannelNeverGoesBackInTime() throws Exception {
        ChannelCatalog catalog = new ChannelCatalog(List.of());
        catalog.admit(NodeMessage.live("s", "n", 2, 2000, List.of(Reading.good("ai1", 2.0, "bar", null))));
        catalog.observe(NodeMessage.live("s", "n", 2, 2000, List.of(Reading.good("ai1", 2.0, "bar", null))));
        catalog.observe(NodeMessage.live("s", "n", 1, 1000, List.of(Reading.good("ai1", 1.0, "bar", null))));
        assertEquals(2.0, catalog.latest("s", "n", "ai1").orElseThrow().value(), "a replayed older reading");
        catalog.observe(NodeMessage.live("s", "n", 3, 3000, List.of(new Reading("ai1", null, "bar", null, Quality.BAD, "open"))));
        ChannelCatalog.Latest latest = catalog.latest("s", "n", "ai1").orElseThrow();
        assertEquals("BAD", latest.quality());
        assertEquals("open", latest.reason());
        assertEquals(3, latest.seq());
        assertTrue(catalog.hasNode("s", "n"));
        assertEquals(false, catalog.nodes().get("s/n"), "seen, not configured");
    }
}
