package io.iiotroutes.edge.forward;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real kill -9 of a process writing the journal: what it had appended survives, in order, without gaps. */
class JournalKillTest {

    static final String PROGRESS = "appended ";
    private static final long KILL_AFTER = 3_000;

    @TempDir
    Path dir;

    static byte[] record(long i) {
        return ("record-" + i + "-" + "x".repeat((int) (i % 200))).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void recordsAppendedBeforeKillMinus9SurviveInOrder() throws Exception {
        Path journalDir = dir.resolve("journal");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), JournalWriterProcess.class.getName(),
                journalDir.toString())
                .redirectErrorStream(true)
                .start();
        long reported = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (reported < KILL_AFTER && (line = out.readLine()) != null) {
                if (line.startsWith(PROGRESS)) {
                    reported = Long.parseLong(line.substring(PROGRESS.length()));
                }
            }
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close()
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(reported >= KILL_AFTER, "the writer reported " + reported);

        try (ForwardJournal journal = ForwardJournal.open(journalDir, JournalSettings.defaults())) {
            long expected = 0;
            List<ForwardJournal.Entry> batch;
            while (!(batch = journal.peek(1000)).isEmpty()) {
                for (ForwardJournal.Entry entry : batch) {
                    assertArrayEquals(record(expected), entry.bytes(), "record " + expected);
                    expected++;
                }
                journal.acknowledge(batch.get(batch.size() - 1));
            }
            assertTrue(expected > reported, "recovered " + expected + " records, the writer had appended "
                    + reported + " when killed");
        }
    }
}
