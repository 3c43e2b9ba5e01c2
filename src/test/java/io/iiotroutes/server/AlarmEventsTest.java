package io.iiotroutes.server;

import io.iiotroutes.server.AlarmEvaluator.AlarmEvent;
import io.iiotroutes.server.AlarmEvaluator.EventType;
import io.iiotroutes.server.AlarmEvaluator.Level;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AlarmEventsTest {

    private final AlarmEvents events = new AlarmEvents();
    private final AlarmEvent raised = new AlarmEvent(42, EventType.RAISED, "demo", "node-1", "ai1", Level.HH, 8.8,
            9.25, "bar", 1_700_000_000_123L);

    @Test
    void topicPerNode() {
        assertEquals("iiot/v1/demo/node-1/alarm", events.topic(raised));
    }

    @Test
    void jsonForMqttAndTheWebSocket() {
        assertEquals("{\"type\":\"alarm\",\"event\":\"RAISED\",\"id\":42,\"site\":\"demo\",\"node\":\"node-1\","
                + "\"channel\":\"ai1\",\"level\":\"HH\",\"limit\":8.8,\"value\":9.25,\"unit\":\"bar\",\"ts\":1700000000123}",
                events.toJson(raised));
        AlarmEvent noValue = new AlarmEvent(42, EventType.ACKNOWLEDGED, "demo", "node-1", "ai1", Level.HH, 8.8, null,
                "bar", 5);
        assertEquals("null", events.tree(noValue).get("value").toString());
    }

    @Test
    void oneTsdbPointTaggedByChannelAndLevel() {
        assertEquals("alarm,channel=ai1,level=HH,node=node-1,site=demo event=\"RAISED\",id=42i,threshold=8.8,"
                        + "unit=\"bar\",value=9.25 1700000000123",
                events.toPoints(raised).getInfluxPoints().get(0).toLineProtocol());
    }
}
