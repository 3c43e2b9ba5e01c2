package io.iiotroutes.server;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.tsdb.LineProtocol;
import io.iiotroutes.tsdb.Lines;
import org.apache.camel.component.influxdb2.data.Points;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a node message to TSDB points: one point per reading in measurement {@value #MEASUREMENT}, tagged by
 * site, node, channel and unit, at the source timestamp (docs/contract.md). The same message always gives the
 * same points, so a redelivered message overwrites rather than adds.
 */
public class PointMapper {

    public static final String MEASUREMENT = "reading";

    public List<Point> map(NodeMessage message) {
        List<Point> points = new ArrayList<>(message.readings().size());
        for (Reading reading : message.readings()) {
            Point point = Point.measurement(MEASUREMENT)
                    .addTag("site", message.site())
                    .addTag("node", message.node())
                    .addTag("channel", reading.channel())
                    .addTag("unit", reading.unit())
                    .addField("quality", reading.quality().name())
                    .addField("seq", message.seq())
                    .addField("historical", message.historical())
                    .time(message.timestamp(), WritePrecision.MS);
            if (reading.value() != null) {
                point.addField("value", reading.value());
            }
            if (reading.raw() != null) {
                point.addField("raw", reading.raw());
            }
            if (reading.reason() != null) {
                point.addField("reason", SafeText.of(reading.reason()));
            }
            points.add(point);
        }
        return points;
    }

    /**
     * The same points in line protocol, for the batched write path ({@code tsdbBatcher}): built straight into one
     * text, without the point objects of {@link #map} (docs/performance.md).
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

    /** The body camel-influxdb2 takes for a batch (a plain List of points is not accepted). */
    public Points toPoints(NodeMessage message) {
        return Points.create(map(message));
    }
}
