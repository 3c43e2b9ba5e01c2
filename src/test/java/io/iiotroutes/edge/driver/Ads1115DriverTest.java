package io.iiotroutes.edge.driver;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import io.iiotroutes.node.ChannelConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.iiotroutes.edge.Channels.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ads1115DriverTest {

    private final RecordingI2CProvider provider = new RecordingI2CProvider();
    private final Context pi4j = Pi4J.newContextBuilder().add(new MockPlatform()).add(provider).build();
    private final List<Long> pauses = new ArrayList<>();
    private final Ads1115Driver driver = new Ads1115Driver(1, 0x48, Ads1115DataRate.SPS_128, () -> pi4j, pauses::add);

    @BeforeEach
    void connect() throws DriverException {
        driver.connect();
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void opensTheConfiguredBusAndAddress() {
        assertEquals(1, provider.device().config().bus());
        assertEquals(0x48, provider.device().config().device());
    }

    @Test
    void writesSingleShotConfigWaitsAndDecodesTheConversionRegister() {
        provider.device().preload(Ads1115Driver.REG_CONVERSION, 0x3E, 0x80); // 16000 counts

        ChannelResult result = read(channel("ai2", "0-5V", 0, 5, "V").input("1").gain(2.048).build());

        // OS=1, MUX=101 (AIN1/GND), PGA=010 (±2.048 V), MODE=1, DR=100 (128 SPS), comparator off
        assertEquals(List.of("01:D583"), provider.device().writes());
        assertEquals(List.of(Ads1115DataRate.SPS_128.conversionNanos()), pauses);
        assertTrue(result.success(), result.error());
        assertEquals(16000L, result.raw());
        assertEquals(1.0, result.value(), 1e-12);
    }

    @Test
    void fullScaleAndNegativeCountsAreSignedBigEndian() {
        provider.device().preload(Ads1115Driver.REG_CONVERSION, 0x7F, 0xFF);
        assertEquals(4.095875, read(volts("ai1", "0")).value(), 1e-12);

        provider.device().preload(Ads1115Driver.REG_CONVERSION, 0xFF, 0xFF);
        ChannelResult minusOne = read(volts("ai1", "0"));
        assertEquals(-1L, minusOne.raw());
        assertEquals(-125e-6, minusOne.value(), 1e-12);
        assertEquals(List.of("01:C383", "01:C383"), provider.device().writes());
    }

    @Test
    void pollsTheOsBitWhileTheConversionIsRunning() {
        provider.device().preload(Ads1115Driver.REG_CONFIG, 0x43, 0x83); // OS=0: still converting
        provider.device().preload(Ads1115Driver.REG_CONVERSION, 0x10, 0x00);

        ChannelResult result = read(volts("ai4", "3"));

        assertEquals(List.of("01:F383"), provider.device().writes());
        long conversion = Ads1115DataRate.SPS_128.conversionNanos();
        assertEquals(List.of(conversion, conversion / 4), pauses);
        assertEquals(4096L, result.raw());
        assertEquals(0.512, result.value(), 1e-12);
    }

    @Test
    void aConversionThatNeverFinishesIsAFailedResultNotAnException() {
        for (int i = 0; i < 10; i++) {
            provider.device().preload(Ads1115Driver.REG_CONFIG, 0x43, 0x83);
        }
        ChannelResult result = read(volts("ai1", "0"));
        assertFalse(result.success());
        assertNull(result.value());
        assertTrue(result.error().contains("conversion not finished"), result.error());
    }

    @Test
    void aMissingAnswerIsAFailedResult() {
        ChannelResult result = read(volts("ai1", "0"));
        assertFalse(result.success());
        assertTrue(result.error().startsWith("ADS1115 AIN0: short read of register 0"), result.error());
    }

    @Test
    void currentLoopThroughAShuntGivesMilliamps() {
        provider.device().preload(Ads1115Driver.REG_CONVERSION, 0x38, 0x40); // 14400 counts = 1.8 V
        ChannelConfig loop = channel("ai1", "4-20mA", 0, 10, "bar").shuntOhms(150).build();
        assertEquals(12.0, read(loop).value(), 1e-9);
    }

    @Test
    void anRtdAtFullScaleIsAWireBreak() {
        provider.device().preload(Ads1115Driver.REG_CONVERSION, 0x7F, 0xFF, 0x7F, 0xFE);
        ChannelConfig rtd = channel("rtd1", "pt100", -50, 150, "°C").input("2").gain(0.256).excitationMa(1.0).build();
        assertEquals(AnalogFrontEnd.RTD_SATURATED, read(rtd).error());
        assertEquals(0x7FFE * 0.256 / 32768 / 0.001, read(rtd).value(), 1e-9, "one count below full scale is a value");
    }

    @Test
    void everyChannelOfABatchGetsItsOwnConversion() {
        provider.device().preload(Ads1115Driver.REG_CONVERSION, 0x00, 0x01, 0x00, 0x02);
        List<ChannelResult> results = driver.read(List.of(volts("a", "0"), volts("b", "2")));
        assertEquals(List.of("01:C383", "01:E383"), provider.device().writes());
        assertEquals(1L, results.get(0).raw());
        assertEquals(2L, results.get(1).raw());
    }

    @Test
    void readsAfterCloseFailWithoutThrowing() {
        driver.close();
        ChannelResult result = read(volts("ai1", "0"));
        assertEquals("ADS1115 not connected", result.error());
    }

    private ChannelResult read(ChannelConfig channel) {
        return driver.read(List.of(channel)).get(0);
    }

    private static ChannelConfig volts(String id, String input) {
        return channel(id, "0-5V", 0, 5, "V").input(input).gain(4.096).build();
    }
}
