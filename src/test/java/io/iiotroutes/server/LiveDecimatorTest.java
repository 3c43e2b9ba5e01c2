package io.iiotroutes.server;

import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class LiveDecimatorTest {

    private static NodeMessage message(long seq, long ts, String... channels) {
        return NodeMessage.live("s", "n", seq, ts, java.util.Arrays.stream(channels)
                .map(c -> Reading.good(c, seq, "V", null)).toList());
    }

    @Test
    void atMostTheConfiguredRatePerChannelBySourceTime() {
        LiveDecimator live = new LiveDecimator(5); // one reading per 200 ms
        int sent = 0;
        for (int i = 0; i < 100; i++) { // 100 Hz for one second
            if (live.decimate(message(i, 10_000 + i * 10L, "fast")) != null) {
                sent++;
            }
        }
        assertEquals(5, sent);
    }

    @Test
    void slowChannelsPassUntouchedAndMixedMessagesKeepTheirDueReadings() {
        LiveDecimator live = new LiveDecimator(5);
        NodeMessage first = message(1, 1000, "a", "b");
        assertSame(first, live.decimate(first));
        NodeMessage second = live.decimate(message(2, 1100, "a", "c"));
        assertEquals(List.of("c"), second.readings().stream().map(Reading::channel).toList());
        assertEquals(2, second.seq());
        assertEquals(1100, second.timestamp());
        assertNull(live.decimate(message(3, 1150, "a")));
        assertEquals(1, live.decimate(message(4, 1200, "a")).readings().size());
    }

    @Test
    void neverSendsAReadingOlderThanTheOneSent() {
        LiveDecimator live = new LiveDecimator(0);
        live.decimate(message(10, 5000, "a"));
        assertNull(live.decimate(message(9, 4000, "a")), "a replayed older reading is for the history, not live");
        assertNull(live.decimate(message(10, 5000, "a")), "a duplicate is not sent twice");
        assertEquals(1, live.decimate(message(11, 5001, "a")).readings().size());
    }
}
