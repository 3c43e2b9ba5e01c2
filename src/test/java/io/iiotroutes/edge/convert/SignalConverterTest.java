package io.iiotroutes.edge.convert;

import io.iiotroutes.edge.Channels;
import io.iiotroutes.model.Quality;
import org.junit.jupiter.api.Test;

import static io.iiotroutes.edge.Channels.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SignalConverterTest {

    private final SignalConverter pressure = converter(channel("ai1", "4-20mA", 0, 10, "bar"));

    @Test
    void twelveMilliampsIsFiveBar() {
        assertEquals(Converted.good(5.0), pressure.convert(12.0));
    }

    @Test
    void namurBoundariesOnAFourToTwentyTransmitter() {
        assertBad(pressure.convert(3.59), "sensor fault: below 3.6 mA (NE43)");
        assertEquals(new Converted(0.0, Quality.UNCERTAIN, "under range: 3.6-3.8 mA (NE43)"), pressure.convert(3.7));
        assertEquals(Converted.good(0.0), pressure.convert(4.0));
        assertEquals(new Converted(10.0, Quality.UNCERTAIN, "over range: 20.5-21 mA (NE43)"), pressure.convert(20.6));
        assertBad(pressure.convert(21.1), "sensor fault: above 21 mA (NE43)");
    }

    @Test
    void overRangeIsClampedAndUncertain() {
        SignalConverter level = converter(channel("ai2", "0-10V", 0, 100, "%"));
        assertEquals(new Converted(100.0, Quality.UNCERTAIN, "clamped"), level.convert(10.5));
        assertEquals(new Converted(0.0, Quality.UNCERTAIN, "clamped"), level.convert(-0.2));
        assertEquals(Converted.good(55.0), level.convert(5.5));
    }

    @Test
    void withoutClampTheValuePassesThroughGood() {
        SignalConverter level = converter(channel("ai2", "0-10V", 0, 100, "%").clamp(false));
        assertEquals(105.0, level.convert(10.5).value(), 1e-12);
        assertEquals(Quality.GOOD, level.convert(10.5).quality());
    }

    @Test
    void insideTheNamurMeasuringRangeButBelowFourMilliampsIsClampedWhenClampIsOn() {
        assertEquals(new Converted(0.0, Quality.UNCERTAIN, "clamped"), pressure.convert(3.9));
        SignalConverter unclamped = converter(channel("ai1", "4-20mA", 0, 10, "bar").clamp(false));
        assertEquals(-0.0625, unclamped.convert(3.9).value(), 1e-12);
        assertEquals(Quality.GOOD, unclamped.convert(3.9).quality());
    }

    @Test
    void bipolarVoltageAndZeroToTwentyMilliamps() {
        assertEquals(-50.0, converter(channel("x", "+-10V", -100, 100, "%")).convert(-5).value(), 1e-12);
        assertEquals(25.0, converter(channel("x", "0-20mA", 0, 100, "m3/h")).convert(5).value(), 1e-12);
    }

    @Test
    void signalRangeOverridesTheStandardSpan() {
        SignalConverter sensor = converter(channel("x", "0-10V", 0, 80, "°C").signalRange(2, 10));
        assertEquals(40.0, sensor.convert(6).value(), 1e-12);
    }

    @Test
    void rawCountsScaleFromTheirSignalRange() {
        SignalConverter raw = converter(channel("x", "raw", 0, 3.3, "V").signalRange(0, 1023));
        assertEquals(3.3, raw.convert(1023).value(), 1e-12);
        assertEquals(1.65, raw.convert(511.5).value(), 1e-12);
    }

    @Test
    void pt100OhmsBecomeDegrees() {
        SignalConverter rtd = converter(channel("rtd1", "pt100", -200, 850, "°C"));
        assertEquals(100.0, rtd.convert(138.5055).value(), 1e-6);
        assertEquals(-50.0, rtd.convert(80.3063).value(), 0.001);
        assertEquals(Quality.GOOD, rtd.convert(138.5055).quality());
        SignalConverter pt1000 = converter(channel("rtd2", "pt1000", -200, 850, "°C"));
        assertEquals(100.0, pt1000.convert(1385.055).value(), 1e-6);
    }

    @Test
    void openOrShortedRtdIsBad() {
        SignalConverter rtd = converter(channel("rtd1", "pt100", -200, 850, "°C"));
        assertBad(rtd.convert(1.0e6), "wire break: RTD open circuit");
        assertBad(rtd.convert(501), "wire break: RTD open circuit");
        assertBad(rtd.convert(5), "short circuit: RTD shorted");
        assertEquals(new Converted(850.0, Quality.UNCERTAIN, "clamped"), rtd.convert(499)); // hot, not open
    }

    @Test
    void rtdAboveItsEngineeringRangeIsClamped() {
        SignalConverter rtd = converter(channel("rtd1", "pt100", -50, 150, "°C"));
        assertEquals(new Converted(150.0, Quality.UNCERTAIN, "clamped"), rtd.convert(Rtd.resistance(200, 100)));
    }

    private static SignalConverter converter(Channels channel) {
        return new SignalConverter(channel.build());
    }

    private static void assertBad(Converted c, String reason) {
        assertEquals(Quality.BAD, c.quality());
        assertNull(c.value());
        assertEquals(reason, c.reason());
    }
}
