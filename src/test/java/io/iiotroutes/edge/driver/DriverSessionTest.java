package io.iiotroutes.edge.driver;

import io.iiotroutes.edge.TestClock;
import io.iiotroutes.node.ChannelConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.iiotroutes.edge.Channels.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriverSessionTest {

    private final TestClock clock = new TestClock(1_000);
    private final ChannelConfig a = channel("a", "0-10V", 0, 10, "V").build();
    private final ChannelConfig b = channel("b", "0-10V", 0, 10, "V").build();

    @Test
    void aDriverThatCannotConnectGivesFailedResultsAndIsRetriedAfterTheInterval() {
        FlakyDriver driver = new FlakyDriver(2);
        DriverSession session = new DriverSession(driver, clock, 5_000);

        List<ChannelResult> results = session.read(List.of(a, b));
        assertEquals(List.of("driver not connected: device missing", "driver not connected: device missing"),
                results.stream().map(ChannelResult::error).toList());
        assertEquals(1, driver.connectAttempts);

        clock.advance(4_999);
        session.read(List.of(a));
        assertEquals(1, driver.connectAttempts, "no retry before the interval");

        clock.advance(1);
        session.read(List.of(a));
        assertEquals(2, driver.connectAttempts);
        assertFalse(session.connected());

        clock.advance(5_000);
        assertTrue(session.read(List.of(a)).get(0).success());
        assertTrue(session.connected());
    }

    @Test
    void aDriverThatThrowsOnReadGivesFailedResults() {
        Driver throwing = new FlakyDriver(0) {
            @Override
            public List<ChannelResult> read(List<ChannelConfig> channels) {
                throw new IllegalStateException("bus stuck");
            }
        };
        DriverSession session = new DriverSession(throwing, clock, 5_000);
        List<ChannelResult> results = session.read(List.of(a, b));
        assertEquals(2, results.size());
        assertTrue(results.get(1).error().contains("bus stuck"), results.get(1).error());
    }

    @Test
    void aDriverReturningTheWrongNumberOfResultsGivesFailedResults() {
        Driver short1 = new FlakyDriver(0) {
            @Override
            public List<ChannelResult> read(List<ChannelConfig> channels) {
                return List.of(ChannelResult.ok("a", 1, null));
            }
        };
        List<ChannelResult> results = new DriverSession(short1, clock, 5_000).read(List.of(a, b));
        assertEquals("driver returned 1 results for 2 channels", results.get(0).error());
    }

    @Test
    void closeClosesTheDriver() {
        FlakyDriver driver = new FlakyDriver(0);
        DriverSession session = new DriverSession(driver, clock, 5_000);
        session.read(List.of(a));
        session.close();
        assertTrue(driver.closed);
        assertFalse(session.connected());
    }

    /** Fails the first n connects. */
    private static class FlakyDriver implements Driver {
        private int failuresLeft;
        int connectAttempts;
        boolean closed;

        FlakyDriver(int failures) {
            this.failuresLeft = failures;
        }

        @Override
        public void connect() throws DriverException {
            connectAttempts++;
            if (failuresLeft-- > 0) {
                throw new DriverException("device missing");
            }
        }

        @Override
        public List<ChannelResult> read(List<ChannelConfig> channels) {
            return channels.stream().map(c -> ChannelResult.ok(c.id(), 1.0, null)).toList();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
