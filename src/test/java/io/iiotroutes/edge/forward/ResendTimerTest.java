package io.iiotroutes.edge.forward;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ResendTimerTest {

    @Test
    void theWaitDoublesUpToTheMaximumWhileNothingIsAcknowledgedAndStartsOverOnProgress() {
        ResendTimer timer = new ResendTimer(10, 35);
        assertEquals(10, timer.waitMillis());
        await().atMost(Duration.ofSeconds(5)).until(timer::overdue);

        timer.resent();
        assertEquals(20, timer.waitMillis());
        assertFalse(timer.overdue(), "the next wait starts when everything was sent again");
        timer.resent();
        assertEquals(35, timer.waitMillis(), "capped");
        timer.resent();
        assertEquals(35, timer.waitMillis());

        timer.progress();
        assertEquals(10, timer.waitMillis(), "an acknowledgement starts over");
    }

    @Test
    void aNodeThatKeepsStreamingStillSendsAgainWhatWasNeverAcknowledged(@TempDir Path dir) throws Exception {
        ResendTimer timer = new ResendTimer(20, 1000);
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            for (int i = 0; i < 3; i++) {
                journal.append(("record-" + i).getBytes(StandardCharsets.UTF_8));
            }
            journal.peekUnsent(10).forEach(journal::markSent);   // sent; the server that took them died

            // live messages keep coming, one in hand at a time: they do not hold the wait back
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                journal.append("live".getBytes(StandardCharsets.UTF_8));
                timer.passSending(journal.unsent());
                long again = timer.rewindIfOverdue(journal, true);
                journal.peekUnsent(10).forEach(journal::markSent);
                return again > 0;
            });
        }
    }

    @Test
    void aReplayPassStartsTheWaitAgainUntilItHasSentEverything(@TempDir Path dir) throws Exception {
        ResendTimer timer = new ResendTimer(20, 1000);
        try (ForwardJournal journal = ForwardJournal.open(dir, JournalSettings.defaults())) {
            for (int i = 0; i < 5; i++) {
                journal.append(("record-" + i).getBytes(StandardCharsets.UTF_8));
            }
            journal.markSent(journal.peekUnsent(1).get(0));
            await().atMost(Duration.ofSeconds(5)).until(timer::overdue);

            timer.passSending(journal.unsent());

            assertFalse(timer.overdue(), "a backlog being sent restarts the wait");
            assertEquals(0, timer.rewindIfOverdue(journal, true), "nor is anything sent again while the pass runs");
        }
    }

    @Test
    void aMaximumBelowTheFirstWaitIsTheFirstWait() {
        ResendTimer timer = new ResendTimer(50, 10);
        timer.resent();
        assertEquals(50, timer.waitMillis());
    }
}
