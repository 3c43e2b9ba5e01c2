package io.iiotroutes.tsdb;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import org.apache.camel.component.influxdb2.data.Points;
import org.influxdb.dto.BatchPoints;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class InfluxV1PointsTest {

    @Test
    void writesTheSameLineProtocolAsTheV2PathForEveryFieldType() {
        NodeMessage message = NodeMessage.live("demo", "node-1", 42, 1763928000123L, List.of(
                new Reading("ai1", 5.25, "bar", 16000L, Quality.GOOD, null),
                new Reading("rtd1", null, "degC", null, Quality.BAD, "wire \"break\", open")));
        Points points = ReferencePoints.batch(message);

        BatchPoints batch = new InfluxV1Points("iiot", null).toBatch(points);

        assertEquals("iiot", batch.getDatabase());
        assertNull(batch.getRetentionPolicy());
        assertEquals(2, batch.getPoints().size());
        for (int i = 0; i < 2; i++) {
            Point v2 = points.getInfluxPoints().get(i);
            assertEquals(v2.toLineProtocol(), batch.getPoints().get(i).lineProtocol(TimeUnit.MILLISECONDS));
        }
        assertEquals("reading,channel=ai1,node=node-1,site=demo,unit=bar historical=false,quality=\"GOOD\",raw=16000i,"
                + "seq=42i,value=5.25 1763928000123", batch.getPoints().get(0).lineProtocol(TimeUnit.MILLISECONDS));
    }

    @Test
    void keepsTheRetentionPolicyAndConvertsEveryPrecisionToNanoseconds() {
        Point seconds = Point.measurement("m").addTag("t", "a b").addField("n", 7L).addField("ok", true)
                .time(1_700_000_000L, WritePrecision.S);
        BatchPoints batch = new InfluxV1Points("db", "one_year").toBatch(Points.create(List.of(seconds)));

        assertEquals("one_year", batch.getRetentionPolicy());
        assertEquals("m,t=a\\ b n=7i,ok=true 1700000000000000000", batch.getPoints().get(0).lineProtocol());
    }
}
