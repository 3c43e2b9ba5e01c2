package io.iiotroutes.edge.sampling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeqStoreTest {

    @TempDir
    Path dir;

    @Test
    void startsAtOneAndPersistsEveryValueBeforeHandingItOut() throws IOException {
        Path file = dir.resolve("state/demo.node-1.seq");
        SeqStore seq = SeqStore.open(file);
        assertEquals(1, seq.next());
        assertEquals("1", Files.readString(file).trim());
        assertEquals(2, seq.next());
        assertEquals("2", Files.readString(file).trim());
        assertFalse(Files.exists(dir.resolve("state/demo.node-1.seq.tmp")), "temp file renamed away");
    }

    @Test
    void continuesAfterReopen() throws IOException {
        Path file = dir.resolve("n.seq");
        SeqStore first = SeqStore.open(file);
        first.next();
        first.next();
        first.next();
        SeqStore again = SeqStore.open(file);
        assertEquals(3, again.last());
        assertEquals(4, again.next());
    }

    @Test
    void aCorruptCounterIsRefusedRatherThanRestartedAtOne() throws IOException {
        Path file = dir.resolve("n.seq");
        Files.writeString(file, "garbage");
        IOException e = assertThrows(IOException.class, () -> SeqStore.open(file));
        assertTrue(e.getMessage().contains("n.seq"), e.getMessage());
    }
}
