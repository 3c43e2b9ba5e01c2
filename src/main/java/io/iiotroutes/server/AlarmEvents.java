package io.iiotroutes.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.server.AlarmEvaluator.AlarmEvent;
import org.apache.camel.component.influxdb2.data.Points;

import java.util.List;

/**
 * How an alarm event leaves the server (docs/contract.md): JSON on {@code iiot/v1/{site}/{node}/alarm} and on the
 * WebSocket (with {@code "type":"alarm"}), and a point in measurement {@value #MEASUREMENT}.
 */
public class AlarmEvents {

    public static final String MEASUREMENT = "alarm";

    private final ObjectMapper json = new ObjectMapper();

    public String topic(AlarmEvent event) {
        return TopicContract.alarmTopic(event.site(), event.node());
    }

    public ObjectNode tree(AlarmEvent event) {
        ObjectNode root = json.createObjectNode();
        root.put("type", "alarm");
        root.put("event", event.event().name());
        root.put("id", event.id());
        root.put("site", event.site());
        root.put("node", event.node());
        root.put("channel", event.channel());
        root.put("level", event.level().name());
        root.put("limit", event.limit());
        if (event.value() == null) {
            root.putNull("value");
        } else {
            root.put("value", event.value());
        }
        root.put("unit", event.unit());
        root.put("ts", event.time());
        return root;
    }

    public String toJson(AlarmEvent event) {
        return tree(event).toString();
    }

    public Points toPoints(AlarmEvent event) {
        Point point = Point.measurement(MEASUREMENT)
                .addTag("site", event.site())
                .addTag("node", event.node())
                .addTag("channel", event.channel())
                .addTag("level", event.level().name())
                .addField("event", event.event().name())
                .addField("id", event.id())
                .addField("threshold", event.limit())
                .addField("unit", SafeText.of(event.unit() == null ? "" : event.unit()))
                .time(event.time(), WritePrecision.MS);
        if (event.value() != null) {
            point.addField("value", event.value());
        }
        return Points.create(List.of(point));
    }
}
