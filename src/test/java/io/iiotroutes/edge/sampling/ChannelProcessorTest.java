package io.iiotroutes.edge.sampling;

import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.edge.driver.ChannelResult;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;

import static io.iiotroutes.edge.Channels.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ChannelProcessorTest {

    private final ChannelConfig pressure = channel("ai1", "4-20mA", 0, 10, "bar").build();
    private final ChannelProcessor processor = new ChannelProcessor(pressure, 1_000, 3, 0);

    @Test
    void averagesTheOversamplesBeforeConverting() {
        Reading r = processor.process(samples(ok(11.0, 100), ok(13.0, 102)), 1_000);
        assertEquals(new Reading("ai1", 5.0, "bar", 101L, Quality.GOOD, null), r);
    }

    @Test
    void aFailedReadIsBadWithTheDriversReason() {
        Reading r = processor.process(samples(fail("i2c: NACK")), 1_000);
        assertEquals(new Reading("ai1", null, "bar", null, Quality.BAD, "i2c: NACK"), r);
    }

    @Test
    void noGoodReadForMoreThanNPeriodsIsStale() {
        processor.process(samples(ok(12, 1)), 1_000);
        assertEquals("i2c: NACK", processor.process(samples(fail("i2c: NACK")), 2_000).reason());
        assertEquals("i2c: NACK", processor.process(samples(fail("i2c: NACK")), 4_000).reason());
        Reading stale = processor.process(samples(fail("i2c: NACK")), 4_001);
        assertEquals(Quality.BAD, stale.quality());
        assertEquals("stale: i2c: NACK", stale.reason());
        assertEquals(Quality.GOOD, processor.process(samples(ok(12, 1)), 5_000).quality(), "recovers at once");
    }

    @Test
    void aChannelThatNeverReadIsStaleCountedFromStart() {
        assertEquals("stale: gone", processor.process(samples(fail("gone")), 3_001).reason());
    }

    @Test
    void someFailedOversamplesMakeTheReadingUncertain() {
        Reading r = processor.process(samples(ok(12, 1), fail("crc error")), 1_000);
        assertEquals(new Reading("ai1", 5.0, "bar", 1L, Quality.UNCERTAIN, "partial read: crc error"), r);
    }

    @Test
    void conversionQualityComesThrough() {
        Reading r = processor.process(samples(ok(2.0, 1)), 1_000);
        assertEquals(new Reading("ai1", null, "bar", 1L, Quality.BAD, "sensor fault: below 3.6 mA (NE43)"), r);
    }

    private static SampleAccumulator samples(ChannelResult... results) {
        SampleAccumulator acc = new SampleAccumulator();
        for (ChannelResult r : results) {
            acc.add(r);
        }
        return acc;
    }

    private static ChannelResult ok(double mA, long raw) {
        return ChannelResult.ok("ai1", mA, raw);
    }

    private static ChannelResult fail(String error) {
        return ChannelResult.failure("ai1", error);
    }
}
