package io.iiotroutes.sparkplug;

import io.iiotroutes.edge.EdgeNodeConfig;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import io.iiotroutes.node.NodeConfig;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node file of docs/edge-nodes.md (protocol sparkplug-b) loads, and what our edge encodes for it reads back with
 * Tahu's decoder; our host takes it to the same readings.
 */
class SparkplugEdgePayloadsTest {

    @TempDir
    Path dir;

    @Test
    void theDocumentedNodeBecomesBirthAndDataThatTahuAndOurHostRead() throws Exception {
        String doc = Files.readString(Path.of("docs/edge-nodes.md"));
        int section = doc.indexOf("### protocol");
        int start = doc.indexOf("```yaml", section) + "```yaml".length();
        Path file = dir.resolve("press-7.yaml");
        Files.writeString(file, doc.substring(start, doc.indexOf("```", start)));
        NodeConfig config = EdgeNodeConfig.load(file);
        assertTrue(config.sparkplugB());

        SparkplugEdgePayloads payloads = new SparkplugEdgePayloads(config);
        long t = 1_763_928_000_000L;
        byte[] birth = payloads.birth(0, 4, t, Map.of("ai1", Reading.good("ai1", 5.0, "bar", null)), Map.of("ai1", t - 10));
        SparkplugBPayload decoded = new SparkplugBPayloadDecoder().buildFromByteArray(birth, null);
        Metric ai1 = decoded.getMetrics().stream().filter(m -> "ai1".equals(m.getName())).findFirst().orElseThrow();
        assertEquals(List.of(1L, MetricDataType.Double, 5.0, t - 10, "bar", 0.0, 10.0), List.of(ai1.getAlias(),
                ai1.getDataType(), ai1.getValue(), ai1.getTimestamp().getTime(),
                ai1.getProperties().getPropertyValue("engUnit").getValue(),
                ai1.getProperties().getPropertyValue("engLow").getValue(),
                ai1.getProperties().getPropertyValue("engHigh").getValue()));

        NodeMessage message = new NodeMessage(1, "plant", "press-7", 9, t + 1000, true,
                List.of(new Reading("ai1", null, "bar", null, Quality.BAD, "wire break")));
        MetricDataTypeMap types = new MetricDataTypeMap();
        types.addMetricDataType(1L, MetricDataType.Double);
        SparkplugBPayload data = new SparkplugBPayloadDecoder().buildFromByteArray(payloads.data(3, message), types);
        Metric bad = data.getMetrics().get(0);
        assertEquals(List.of(3L, 1L, true, true, t + 1000, 0), List.of(data.getSeq(), bad.getAlias(), bad.isNull(),
                bad.isHistorical(), bad.getTimestamp().getTime(), bad.getProperties().getPropertyValue("Quality").getValue()));

        // and our host reads both back to our model (the reason text is not carried: Sparkplug has none)
        SparkplugHost host = new SparkplugHost("h", new SparkplugHost.Limits(10, 1, 10, 100, 10, 65536, 0),
                new SparkplugHost.Commands() {
                    public void requestRebirth(String group, String edgeNode) { }
                    public void republishState() { }
                }, new io.iiotroutes.edge.TestClock(t + 60_000));
        assertEquals(List.of(Reading.good("ai1", 5.0, "bar", null)),
                host.receive(birth, "spBv1.0/plant/NBIRTH/press-7").messages().get(0).readings());
        SparkplugHost.Outcome outcome = host.receive(payloads.data(1, message), "spBv1.0/plant/NDATA/press-7");
        assertEquals(List.of(new NodeMessage(1, "plant", "press-7", 1, t + 1000, true,
                List.of(new Reading("ai1", null, "bar", null, Quality.BAD, "Sparkplug quality BAD (0)")))), outcome.messages());
    }
}
