package io.iiotroutes.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LastHeardFileTest {

    @TempDir
    Path dir;

    @Test
    void savesAndLoadsTheTimes() {
        LastHeardFile file = new LastHeardFile(dir.resolve("server/last-heard.json"), 10);
        assertTrue(file.load().isEmpty(), "no file yet");
        file.save(Map.of("s/a", 1000L, "s/b", 2000L));
        assertEquals(Map.of("s/a", 1000L, "s/b", 2000L), file.load());
    }

    @Test
    void skipsWhatIsNotAValidEntryAndReadsAtMostTheLimit() throws Exception {
        Path path = dir.resolve("last-heard.json");
        Files.writeString(path, "{\"s/a\":1000,\"no-slash\":5,\"s/b\":\"x\",\"s/c\":-1,\"s/../d\":7,\"s/e\":3000,\"s/f\":4000}");
        assertEquals(Map.of("s/a", 1000L, "s/e", 3000L), new LastHeardFile(path, 2).load());
    }

    @Test
    void anUnreadableFileMeansNoTimes() throws Exception {
        Path path = dir.resolve("last-heard.json");
        Files.writeString(path, "{not json");
        assertTrue(new LastHeardFile(path, 10).load().isEmpty());
    }
}
