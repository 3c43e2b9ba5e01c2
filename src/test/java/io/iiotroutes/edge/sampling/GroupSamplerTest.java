package io.iiotroutes.edge.sampling;

import io.iiotroutes.edge.TestClock;
import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.GroupConfig;
import io.iiotroutes.edge.driver.ChannelResult;
import io.iiotroutes.edge.driver.Driver;
import io.iiotroutes.edge.driver.DriverSession;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.iiotroutes.edge.Channels.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupSamplerTest {

    private final TestClock clock = new TestClock(0);
    private final CountingDriver driver = new CountingDriver();
    private final DriverSession session = new DriverSession(driver, clock, 1_000);

    @Test
    void oversamplesEachChannelAsOftenAsItsAverageAsks() {
        ChannelConfig four = channel("four", "0-10V", 0, 10, "V").average(4).build();
        ChannelConfig one = channel("one", "0-10V", 0, 10, "V").build();
        GroupSampler group = new GroupSampler(new GroupConfig("g", 1_000L, List.of(four, one)), 1_000, 3, 0);

        List<Reading> readings = group.sample(session, 0);

        assertEquals(List.of(List.of("four", "one"), List.of("four"), List.of("four"), List.of("four")), driver.batches);
        assertEquals(2.5, readings.get(0).value(), 1e-12, "mean of 1, 2, 3, 4 V");
        assertEquals(1.0, readings.get(1).value(), 1e-12);
    }

    @Test
    void dueEveryPeriodWithHalfATickOfJitterAllowed() {
        GroupSampler slow = new GroupSampler(new GroupConfig("slow", 5_000L, List.of(channel("a", "0-10V", 0, 10, "V").build())), 1_000, 3, 0);
        assertTrue(slow.isDue(0), "due at once");
        slow.sample(session, 0);
        assertFalse(slow.isDue(1_000));
        assertFalse(slow.isDue(4_000));
        assertTrue(slow.isDue(4_600), "a timer tick slightly early still samples");
        slow.sample(session, 4_600);
        assertFalse(slow.isDue(9_000));
        assertTrue(slow.isDue(9_600));
    }

    @Test
    void onlyReadingsThatPassReportByExceptionAreReturned() {
        ChannelConfig a = channel("a", "0-10V", 0, 10, "V").build();
        GroupSampler group = new GroupSampler(new GroupConfig("g", 1_000L, List.of(a)), 1_000, 3, 0);
        driver.constant = true;
        assertEquals(1, group.sample(session, 0).size());
        assertEquals(0, group.sample(session, 1_000).size(), "same value, heartbeat not due");
        assertEquals(1, group.sample(session, 60_000).size(), "heartbeat");
    }

    /** Returns 1, 2, 3 ... per channel on each read (or always 1). */
    private static final class CountingDriver implements Driver {
        final List<List<String>> batches = new ArrayList<>();
        final Map<String, Integer> counts = new HashMap<>();
        boolean constant;

        @Override
        public void connect() {
        }

        @Override
        public List<ChannelResult> read(List<ChannelConfig> channels) {
            batches.add(channels.stream().map(ChannelConfig::id).toList());
            return channels.stream().map(c -> ChannelResult.ok(c.id(),
                    constant ? 1 : counts.merge(c.id(), 1, Integer::sum), null)).toList();
        }

        @Override
        public void close() {
        }
    }
}
