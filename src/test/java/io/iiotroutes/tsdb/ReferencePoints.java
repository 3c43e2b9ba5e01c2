package io.iiotroutes.tsdb;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.server.PointMapper;
import io.iiotroutes.server.SafeText;
import org.apache.camel.component.influxdb2.data.Points;

import java.util.ArrayList;
import java.util.List;

/**
 * A message's readings as influxdb-client-java builds them (its {@link Point}: the encoder we did not write, and
 * the one the server used before {@link PointMapper#toLines}): the reference {@code LineProtocolTest} holds our
 * lines against.
 */
final class ReferencePoints {

    private ReferencePoints() {
    }

    static List<Point> of(NodeMessage message) {
        List<Point> points = new ArrayList<>(message.readings().size());
        for (Reading reading : message.readings()) {
            Point point = Point.measurement(PointMapper.MEASUREMENT)
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

    static Points batch(NodeMessage message) {
        return Points.create(of(message));
    }
}
