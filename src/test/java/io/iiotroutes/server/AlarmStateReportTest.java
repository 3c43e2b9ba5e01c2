package io.iiotroutes.server;

import io.iiotroutes.server.AlarmEvaluator.ActiveAlarm;
import io.iiotroutes.server.AlarmEvaluator.Level;
import org.apache.camel.component.influxdb2.data.Points;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AlarmStateReportTest {

    private final List<ActiveAlarm> active = new ArrayList<>();
    private final AlarmStateReport report = new AlarmStateReport(() -> List.copyOf(active),
            Clock.fixed(Instant.ofEpochMilli(9000), ZoneOffset.UTC));

    private static List<String> lines(Points points) {
        return points.getInfluxPoints().stream().map(p -> p.toLineProtocol()).sorted().toList();
    }

    @Test
    void reportsEveryActiveAlarmEachPeriodAndAnEndedOneOnce() {
        assertNull(report.report(), "nothing active, nothing ended: nothing to write");

        active.add(new ActiveAlarm(17, "s", "n", "ai1", Level.H, 8.0, 8.5, "bar", 1000, false, null));
        active.add(new ActiveAlarm(18, "s", "n", "ai2", Level.LL, 1.0, null, null, 2000, true, 3000L));
        List<String> both = List.of(
                "alarm_state,channel=ai1,level=H,node=n,site=s active=1i,id=17i,threshold=8.0,unacknowledged=1i,value=8.5 9000",
                "alarm_state,channel=ai2,level=LL,node=n,site=s active=1i,id=18i,threshold=1.0,unacknowledged=0i 9000");
        assertEquals(both, lines(report.report()));
        assertEquals(both, lines(report.report()), "still active: written again, so the rule's window always holds it");

        active.remove(0);
        assertEquals(List.of(
                "alarm_state,channel=ai1,level=H,node=n,site=s active=0i,id=17i,threshold=8.0,unacknowledged=0i,value=8.5 9000",
                "alarm_state,channel=ai2,level=LL,node=n,site=s active=1i,id=18i,threshold=1.0,unacknowledged=0i 9000"),
                lines(report.report()), "the cleared alarm once more, inactive, so a rule on its last value resolves");
        assertEquals(List.of(both.get(1)), lines(report.report()));

        active.clear();
        assertEquals(1, report.report().getInfluxPoints().size());
        assertNull(report.report());
    }
}
