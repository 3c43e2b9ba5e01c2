package io.iiotroutes.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.edge.TestClock;
import io.iiotroutes.model.Quality;
import io.iiotroutes.node.AlarmConfig;
import io.iiotroutes.server.AlarmEvaluator.ActiveAlarm;
import io.iiotroutes.server.AlarmEvaluator.AlarmEvent;
import io.iiotroutes.server.AlarmEvaluator.EventType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two replicas' alarm evaluators kept in step through what one publishes and the other receives. */
class AlarmReplicationTest {

    private static final AlarmConfig LIMITS = new AlarmConfig(null, 8.0, null, null, 0.5, 0L);

    private final AlarmEvaluator alarmsA = new AlarmEvaluator(100, new TestClock(1_000_000));
    private final AlarmEvaluator alarmsB = new AlarmEvaluator(100, new TestClock(2_000_000));
    private final AlarmReplication replicaA = new AlarmReplication(alarmsA);
    private final AlarmReplication replicaB = new AlarmReplication(alarmsB);

    AlarmReplicationTest() {
        for (AlarmEvaluator alarms : List.of(alarmsA, alarmsB)) {
            alarms.configure("s", "n", "ai1", LIMITS, "bar");
        }
    }

    private static List<AlarmEvent> high(AlarmEvaluator alarms) {
        return alarms.evaluate("s", "n", "ai1", 9.0, Quality.GOOD, "bar", 500_000, true);
    }

    @Test
    void anAcknowledgementOnOneReplicaIsSeenOnTheOtherWithItsTime() throws Exception {
        AlarmEvent raised = high(alarmsA).get(0);
        high(alarmsB);
        AlarmEvent acknowledged = alarmsA.acknowledge(raised.id()).event();

        Publication published = replicaA.state(acknowledged);

        AlarmReplication.Update learnt = replicaB.received(published.topic(), published.payload(), false);

        assertEquals("iiot/v1/_alarms/s/n", published.topic());
        assertEquals(List.of(acknowledged), learnt.events(), "the same event on B, to be shown there");
        assertTrue(alarmsB.active().get(0).acknowledged());
        assertEquals(alarmsA.active(), alarmsB.active());
        assertEquals(alarmsA.changedAt("s", "n"), alarmsB.changedAt("s", "n"), "both saw the same changes");
        assertEquals(List.of(), replicaB.received(published.topic(), published.payload(), false).events(),
                "told again: nothing new");
    }

    @Test
    void theRetainedStateReplacesWhatAReplicaThatWasAwayHad() throws Exception {
        AlarmEvent raised = high(alarmsA).get(0);
        AlarmEvent acknowledged = alarmsA.acknowledge(raised.id()).event();

        AlarmReplication.Update learnt = replicaB.received("iiot/v1/_alarms/s/n", replicaA.state(acknowledged).payload(), true);

        assertEquals(List.of(EventType.RAISED, EventType.ACKNOWLEDGED), learnt.events().stream().map(AlarmEvent::event).toList(),
                "shown on B; A stored them");
        assertEquals(null, learnt.republish());
        assertEquals(alarmsA.active(), alarmsB.active());
        assertEquals(List.of(), high(alarmsB), "still high on B: not raised a second time");
        assertEquals(1, replicaB.adopted());
    }

    @Test
    void anOlderStateOnTheBrokerIsReplacedByThisReplicasOwn() throws Exception {
        AlarmEvent raised = high(alarmsA).get(0);
        byte[] beforeTheAcknowledgement = replicaA.state(raised).payload();
        alarmsA.acknowledge(raised.id());   // its publication lost: the broker still holds the raise

        AlarmReplication.Update update = replicaA.received("iiot/v1/_alarms/s/n", beforeTheAcknowledgement, true);

        assertTrue(alarmsA.active().get(0).acknowledged(), "the newer state stays");
        assertEquals("iiot/v1/_alarms/s/n", update.republish().topic());
        AlarmReplication.NodeAlarms republished = new ObjectMapper().readValue(update.republish().payload(),
                AlarmReplication.NodeAlarms.class);
        assertEquals(alarmsA.active(), republished.active());
        assertEquals(alarmsA.changedAt("s", "n"), republished.changedAt());
    }

    @Test
    void aStateThatIsNotOfItsNodeOrNotReadableIsIgnored() throws Exception {
        ActiveAlarm foreign = new ActiveAlarm(7, "s", "other", "ai1", AlarmEvaluator.Level.H, 8.0, 9.0, "bar", 1L, true, 2L);
        byte[] payload = new ObjectMapper().writeValueAsBytes(new AlarmReplication.NodeAlarms(5, List.of(foreign)));

        assertEquals(AlarmReplication.Update.NOTHING, replicaB.received("iiot/v1/_alarms/s/n", payload, true));
        assertEquals(AlarmReplication.Update.NOTHING, replicaB.received("iiot/v1/_alarms/s/n", "[{".getBytes(StandardCharsets.UTF_8), true));
        assertEquals(AlarmReplication.Update.NOTHING, replicaB.received("iiot/v1/s/n/alarm", "{}".getBytes(StandardCharsets.UTF_8), true));
        assertEquals(AlarmReplication.Update.NOTHING, replicaB.received("iiot/v1/_alarms/s/n", new byte[AlarmReplication.MAX_PAYLOAD_BYTES + 1], true));

        assertEquals(4, replicaB.refused());
        assertEquals(0, replicaB.adopted());
        assertEquals(EventType.RAISED, high(alarmsB).get(0).event(), "B's own evaluation is untouched");
    }
}
