package io.iiotroutes.tsdb;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WriteMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WriteMetrics metrics = new WriteMetrics(registry);

    @Test
    void recordsLatencyAndBatchSizeOfEachWrite() throws Exception {
        assertEquals("ok", metrics.record(5, () -> "ok"));
        metrics.record(3, () -> null);

        assertEquals(2, registry.get("iiot.tsdb.write").timer().count());
        assertEquals(8.0, registry.get("iiot.tsdb.write.points").summary().totalAmount());
        assertEquals(5.0, registry.get("iiot.tsdb.write.points").summary().max());
        assertEquals(0.0, registry.get("iiot.tsdb.write.failures").counter().count());
    }

    @Test
    void aFailedWriteIsCountedTimedAndRethrown() {
        IOException refused = new IOException("down");
        IOException thrown = assertThrows(IOException.class, () -> metrics.record(2, () -> {
            throw refused;
        }));

        assertEquals(refused, thrown);
        assertEquals(1.0, registry.get("iiot.tsdb.write.failures").counter().count());
        assertEquals(1, registry.get("iiot.tsdb.write").timer().count());
    }

    @Test
    void countsThePointsInWhateverTheWriteMethodTakes() {
        assertEquals(3, WriteMetrics.pointsIn(new Object[]{"bucket", "org", List.of(1, 2, 3)}));
        assertEquals(1, WriteMetrics.pointsIn(new Object[]{"one line"}));
        BatchPoints batch = BatchPoints.database("db").build();
        batch.point(Point.measurement("m").addField("v", 1).time(1, TimeUnit.MILLISECONDS).build());
        batch.point(Point.measurement("m").addField("v", 2).time(2, TimeUnit.MILLISECONDS).build());
        assertEquals(2, WriteMetrics.pointsIn(new Object[]{batch}));
        assertEquals(0, WriteMetrics.pointsIn(null));
    }
}
