package io.iiotroutes.server;

import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompletenessViewsTest {

    private final NodeMonitor nodesA = new NodeMonitor(100);
    private final NodeMonitor nodesB = new NodeMonitor(100);
    private final CompletenessViews viewsA = new CompletenessViews(nodesA, "replica-a");
    private final CompletenessViews viewsB = new CompletenessViews(nodesB, "replica-b");

    private static NodeMessage message(long seq) {
        return NodeMessage.live("s", "n", seq, seq * 1000, List.of(Reading.good("ai1", 1.0, "bar", null)));
    }

    private boolean toB(String json) {
        return viewsB.received("iiot/v1/_completeness/s/n", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aReplicaTakesWhatAnotherKnowsOfTheStream() {
        for (long seq = 1; seq <= 10; seq++) {
            nodesA.observe(message(seq));
        }
        nodesB.observe(message(1));
        nodesB.observe(message(10));   // it missed 2..9 (stored by A, their acknowledgements not seen)
        assertEquals(8, nodesB.nodes().get(0).completeness().gaps());

        List<Publication> published = viewsA.publications();

        assertEquals("iiot/v1/_completeness/s/n", published.get(0).topic());
        assertEquals("{\"by\":\"replica-a\",\"first\":1,\"last\":10,\"missing\":[]}",
                new String(published.get(0).payload(), StandardCharsets.UTF_8));
        assertTrue(viewsB.received(published.get(0).topic(), published.get(0).payload()));
        assertEquals(0, nodesB.nodes().get(0).completeness().gaps());
        assertFalse(viewsA.received(published.get(0).topic(), published.get(0).payload()), "its own view: skipped");
    }

    @Test
    void aViewThatIsNoneIsRefusedAndAnUnknownNodeIgnored() {
        assertFalse(toB("{\"by\":\"replica-a\",\"first\":1,\"last\":10,\"missing\":[]}"), "a node B does not know");
        nodesB.observe(message(1));
        assertFalse(toB("{\"by\":\"replica-a\",\"first\":5,\"last\":1,\"missing\":[]}"));
        assertFalse(toB("{\"by\":\"replica-a\",\"first\":1,\"last\":10,\"missing\":[[5,6],[2,3]]}"), "not ascending");
        assertFalse(toB("{\"by\":\"replica-a\",\"first\":1,\"last\":10,\"missing\":[[5,11]]}"), "beyond the view");
        assertFalse(toB("{\"by\":\"replica-a\",\"first\":1,\"last\":10,\"missing\":[[2,3],[3,4]]}"), "overlapping");
        assertFalse(toB("{\"by\":\"replica-a\",\"first\":1.5,\"last\":10,\"missing\":[]}"));
        assertFalse(viewsB.received("iiot/v1/_completeness/s/n", new byte[CompletenessViews.MAX_PAYLOAD_BYTES + 1]));
        assertFalse(viewsB.received("iiot/v1/s/n/ack", "{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(7, viewsB.refused());
        assertEquals(1, nodesB.nodes().get(0).completeness().received(), "nothing merged");
    }
}
