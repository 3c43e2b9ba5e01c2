package io.iiotroutes.server;

import io.iiotroutes.server.AlarmEvaluator.ActiveAlarm;
import io.iiotroutes.server.AlarmEvaluator.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class AlarmStateFileTest {

    @TempDir
    Path dir;

    @Test
    void savedAlarmsComeBackAsTheyWere() {
        AlarmStateFile file = new AlarmStateFile(dir.resolve("server").resolve("alarms.json"));
        List<ActiveAlarm> active = List.of(
                new ActiveAlarm(17, "s", "n", "ai1", Level.HH, 10.0, 10.5, "bar", 1_700_000_000_000L, true, 1_700_000_001_000L),
                new ActiveAlarm(18, "s", "n", "ai2", Level.L, 2.0, null, null, 1_700_000_002_000L, false, null));

        AlarmState state = new AlarmState(active, java.util.Map.of("s/n", 1_700_000_002_000L));

        assertEquals(AlarmState.NONE, file.load(), "no file yet");
        file.save(state);
        assertEquals(state, file.load());
        file.save(AlarmState.NONE);
        assertEquals(AlarmState.NONE, file.load());
        assertFalse(Files.exists(dir.resolve("server").resolve("alarms.json.tmp")), "written through a renamed temporary file");
    }

    @Test
    void anUnreadableFileMeansNoActiveAlarms() throws Exception {
        Path path = dir.resolve("alarms.json");
        Files.writeString(path, "{ not json");
        assertEquals(AlarmState.NONE, new AlarmStateFile(path).load());
    }

    @Test
    void aFileOfTheEarlierVersionStillCountsItsAlarms() throws Exception {
        Path path = dir.resolve("alarms.json");
        Files.writeString(path, "[{\"id\":17,\"site\":\"s\",\"node\":\"n\",\"channel\":\"ai1\",\"level\":\"H\","
                + "\"limit\":8.0,\"value\":9.0,\"unit\":\"bar\",\"raisedAt\":5,\"acknowledged\":false,\"acknowledgedAt\":null}]");

        AlarmState loaded = new AlarmStateFile(path).load();

        assertEquals(17, loaded.active().get(0).id());
        assertEquals(java.util.Map.of(), loaded.changedAt());
    }
}
