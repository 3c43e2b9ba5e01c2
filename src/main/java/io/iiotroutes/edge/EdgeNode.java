package io.iiotroutes.edge;

import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** TEMPORARY minimal node (site/node from the file, fixed simulated AIO channels); replaced by the full edge library. */
public final class EdgeNode implements AutoCloseable {

    private final String site;
    private final String nodeId;
    private final long periodMillis;
    private final AtomicLong seq = new AtomicLong();

    private EdgeNode(String site, String nodeId, long periodMillis) {
        this.site = site;
        this.nodeId = nodeId;
        this.periodMillis = periodMillis;
    }

    public static EdgeNode load(Path configFile, Path stateDir) throws EdgeConfigException {
        try {
            Map<?, ?> yaml = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(configFile));
            return new EdgeNode(String.valueOf(yaml.get("site")), String.valueOf(yaml.get("node")), 1000);
        } catch (IOException | RuntimeException e) {
            throw new EdgeConfigException(configFile + ": " + e.getMessage(), e);
        }
    }

    public String site() {
        return site;
    }

    public String nodeId() {
        return nodeId;
    }

    public long samplePeriodMillis() {
        return periodMillis;
    }

    public NodeMessage sample() {
        long now = System.currentTimeMillis();
        double phase = now / 60_000.0 * 2 * Math.PI;
        return NodeMessage.live(site, nodeId, seq.incrementAndGet(), now, List.of(
                Reading.good("ai1", round(5 + 4 * Math.sin(phase)), "bar", null),
                Reading.good("ai2", round(50 + 30 * Math.cos(phase)), "%", null),
                Reading.good("rtd1", round(21 + Math.sin(phase / 3)), "degC", null)));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    @Override
    public void close() {
    }
}
