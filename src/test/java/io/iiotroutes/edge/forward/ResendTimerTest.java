package io.iiotroutes.edge.forward;

import org.junit.jupiter.api.Test;

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
    void aMaximumBelowTheFirstWaitIsTheFirstWait() {
        ResendTimer timer = new ResendTimer(50, 10);
        timer.resent();
        assertEquals(50, timer.waitMillis());
    }
}
