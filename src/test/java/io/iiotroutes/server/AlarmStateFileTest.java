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

        assertEquals(List.of(), file.load(), "no file yet");
        file.save(active);
        assertEquals(active, file.load());
        file.save(List.of());
        assertEquals(List.of(), file.load());
        assertFalse(Files.exists(dir.resolve("server").resolve("alarms.json.tmp")), "written through a renamed temporary file");
    }

    @Test
    void anUnreadableFileMeansNoActiveAlarms() throws Exception {
        Path path = dir.resolve("alarms.json");
        Files.writeString(path, "{ not json");
        assertEquals(List.of(), new AlarmStateFile(path).load());
    }
}
