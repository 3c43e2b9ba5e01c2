package io.iiotroutes.server;

import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.tsdb.LineProtocol;
import io.iiotroutes.tsdb.Lines;

/**
 * Maps a node message to TSDB points: one point per reading in measurement {@value #MEASUREMENT}, tagged by
 * site, node, channel and unit, at the source timestamp (docs/contract.md). The same message always gives the
 * same points, so a redelivered message overwrites rather than adds.
 */
public class PointMapper {

    public static final String MEASUREMENT = "reading";

    /**
     * The points in line protocol, for the batched write path ({@code tsdbBatcher}): built straight into one text,
     * without per-point objects (docs/performance.md). {@code LineProtocolTest} holds them against
     * influxdb-client-java's encoding of the same points.
     */
    public Lines toLines(NodeMessage message) {
        LineProtocol lines = new LineProtocol(96 * message.readings().size());
        for (Reading reading : message.readings()) {
            lines.measurement(MEASUREMENT)
                    .tag("channel", reading.channel())
                    .tag("node", message.node())
                    .tag("site", message.site())
                    .tag("unit", reading.unit())
                    .booleanField("historical", message.historical())
                    .stringField("quality", reading.quality().name())
                    .integerField("raw", reading.raw())
                    .stringField("reason", reading.reason() == null ? null : SafeText.of(reading.reason()))
                    .integerField("seq", message.seq())
                    .floatField("value", reading.value())
                    .end(message.timestamp());
        }
        return lines.lines();
    }
}
