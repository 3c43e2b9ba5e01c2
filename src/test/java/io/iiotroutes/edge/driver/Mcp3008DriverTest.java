package io.iiotroutes.edge.driver;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.spi.MockSpi;
import com.pi4j.plugin.mock.provider.spi.MockSpiProvider;
import io.iiotroutes.node.ChannelConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.iiotroutes.edge.Channels.channel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Runs on Pi4J's mock SPI: bytes the test writes into the mock are what the next transfer receives, and the
 * bytes the driver sends are left in the mock's buffer for {@link MockSpi#readEntireMockBuffer()}.
 */
class Mcp3008DriverTest {

    private final Context pi4j = Pi4J.newContextBuilder().add(new MockPlatform()).add(MockSpiProvider.newInstance()).build();
    private final Mcp3008Driver driver = new Mcp3008Driver(0, 1, 1_000_000, 3.3, () -> pi4j);
    private MockSpi spi;

    @BeforeEach
    void connect() throws DriverException {
        driver.connect();
        spi = pi4j.registry().get(driver.deviceId(), MockSpi.class);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void opensTheConfiguredBusChipSelectModeAndClock() {
        assertEquals(0, spi.config().bus().getBus());
        assertEquals(1, spi.config().chipSelect().getChipSelect());
        assertEquals(0, spi.config().mode().getMode());
        assertEquals(1_000_000, spi.config().baud());
    }

    @ParameterizedTest
    @CsvSource({"0, 80", "1, 90", "5, D0", "7, F0"})
    void sendsStartBitSingleEndedChannelAndPadding(int channel, String secondByte) {
        driver.read(List.of(volts("x", channel)));
        byte[] expected = {0x01, (byte) Integer.parseInt(secondByte, 16), 0x00};
        assertArrayEquals(expected, spi.readEntireMockBuffer());
    }

    @Test
    void fullScaleCountsReadVref() {
        spi.write(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0xFF}, 0, 3); // junk in unused bits, null bit 0
        ChannelResult result = driver.read(List.of(volts("ai1", 0))).get(0);
        assertEquals(1023L, result.raw());
        assertEquals(3.3, result.value(), 1e-12);
    }

    @Test
    void decodesTenBitsFromTheLastTwoBytes() {
        spi.write(new byte[] {0x00, 0x02, 0x00, 0x00, 0x00, 0x40}, 0, 6);
        List<ChannelResult> results = driver.read(List.of(volts("a", 2), volts("b", 3)));
        assertEquals(512L, results.get(0).raw());
        assertEquals(512 * 3.3 / 1023, results.get(0).value(), 1e-12);
        assertEquals(64L, results.get(1).raw());
        assertArrayEquals(new byte[] {0x01, (byte) 0xA0, 0x00, 0x01, (byte) 0xB0, 0x00}, spi.readEntireMockBuffer());
    }

    @Test
    void anRtdAtFullScaleIsAWireBreak() {
        spi.write(new byte[] {0x00, 0x03, (byte) 0xFF}, 0, 3);
        ChannelConfig rtd = channel("rtd1", "pt1000", -50, 150, "°C").input("4").excitationMa(1.0).build();
        assertEquals(AnalogFrontEnd.RTD_SATURATED, driver.read(List.of(rtd)).get(0).error());
    }

    @Test
    void voltageDividerIsUndone() {
        spi.write(new byte[] {0x00, 0x03, (byte) 0xFF}, 0, 3);
        ChannelConfig tenVolt = channel("ai1", "0-10V", 0, 100, "%").input("0").divider(10.0 / 3.3).build();
        assertEquals(10.0, driver.read(List.of(tenVolt)).get(0).value(), 1e-9);
    }

    @Test
    void readsAfterCloseFailWithoutThrowing() {
        driver.close();
        ChannelResult result = driver.read(List.of(volts("ai1", 0))).get(0);
        assertFalse(result.success());
        assertEquals("MCP3008 not connected", result.error());
    }

    @Test
    void requestAndCountsHelpersFollowTheDatasheetFrame() {
        assertArrayEquals(new byte[] {0x01, (byte) 0xC0, 0x00}, Mcp3008Driver.request(4));
        assertEquals(0x3FF, Mcp3008Driver.counts(new byte[] {0x00, 0x03, (byte) 0xFF}));
        assertEquals(0x155, Mcp3008Driver.counts(new byte[] {0x00, 0x01, 0x55}));
    }

    private static ChannelConfig volts(String id, int input) {
        return channel(id, "0-5V", 0, 5, "V").input(String.valueOf(input)).build();
    }
}
