package io.iiotroutes.edge.driver;

import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.edge.convert.Rtd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.iiotroutes.edge.Channels.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads a process-image file laid out like /dev/piControl0 with an AIO right of a RevPi Connect (offset 11). */
class RevPiAioDriverTest {

    private static final int AIO = 11;

    @TempDir
    Path dir;

    private final ByteBuffer image = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

    @Test
    void readsSigned16BitLittleEndianInputsAtTheDocumentedOffsets() throws Exception {
        image.putShort(AIO, (short) 12000);       // InputValue_1: 12000 µA
        image.putShort(AIO + 2, (short) -5000);   // InputValue_2: -5000 mV
        image.putShort(AIO + 6, (short) 7500);    // InputValue_4: 7500 mV
        RevPiAioDriver driver = open(AIO);

        List<ChannelResult> results = driver.read(List.of(
                aio("ai1", "InputValue_1", "4-20mA", 0, 10, "bar"),
                aio("ai2", "InputValue_2", "+-10V", -100, 100, "%"),
                aio("ai4", "inputvalue_4", "0-10V", 0, 100, "%")));

        assertEquals(12.0, results.get(0).value(), 1e-12);
        assertEquals(12000L, results.get(0).raw());
        assertEquals(-5.0, results.get(1).value(), 1e-12);
        assertEquals(-5000L, results.get(1).raw());
        assertEquals(7.5, results.get(2).value(), 1e-12);
        driver.close();
    }

    @Test
    void rtdTenthsOfADegreeBecomeOhmsOfTheConfiguredSensor() throws Exception {
        image.putShort(AIO + 12, (short) 215);    // RTDValue_1: 21.5 °C
        image.putShort(AIO + 14, (short) -500);   // RTDValue_2: -50.0 °C
        RevPiAioDriver driver = open(AIO);

        List<ChannelResult> results = driver.read(List.of(
                rtd("rtd1", "RTDValue_1", "pt100"), rtd("rtd2", "RTDValue_2", "pt1000")));

        assertEquals(Rtd.resistance(21.5, 100), results.get(0).value(), 1e-12);
        assertEquals(215L, results.get(0).raw());
        assertEquals(803.06, results.get(1).value(), 0.01);
        driver.close();
    }

    @Test
    void rtdStatusBitsAreFailures() throws Exception {
        image.put(AIO + 16, (byte) 0x02);         // RTDStatus_1: above range
        image.put(AIO + 17, (byte) 0x01);         // RTDStatus_2: below range
        RevPiAioDriver driver = open(AIO);

        List<ChannelResult> results = driver.read(List.of(
                rtd("rtd1", "RTDValue_1", "pt100"), rtd("rtd2", "RTDValue_2", "pt100")));

        assertFalse(results.get(0).success());
        assertTrue(results.get(0).error().startsWith("wire break"), results.get(0).error());
        assertTrue(results.get(1).error().startsWith("short circuit"), results.get(1).error());
        driver.close();
    }

    @Test
    void moduleOffsetIsConfigurableForOtherBaseModules() throws Exception {
        image.putShort(13, (short) 4000);         // RevPi Connect 4: 13-byte base image
        RevPiAioDriver driver = open(13);
        assertEquals(4.0, driver.read(List.of(aio("ai1", "InputValue_1", "4-20mA", 0, 10, "bar"))).get(0).value(), 1e-12);
        driver.close();
    }

    @Test
    void anExplicitChannelOffsetWins() throws Exception {
        image.putShort(200, (short) 1234);
        RevPiAioDriver driver = open(AIO);
        ChannelConfig channel = channel("x", "raw", 0, 1, "u").input("InputValue_3").signalRange(0, 10000).offset(200).build();
        assertEquals(1234.0, driver.read(List.of(channel)).get(0).value());
        driver.close();
    }

    @Test
    void aMissingProcessImageFailsToConnect() {
        RevPiAioDriver driver = new RevPiAioDriver(dir.resolve("piControl0"), AIO);
        DriverException e = assertThrows(DriverException.class, driver::connect);
        assertTrue(e.getMessage().contains("piControl0"), e.getMessage());
        assertEquals("process image " + dir.resolve("piControl0") + " not open",
                driver.read(List.of(aio("ai1", "InputValue_1", "0-10V", 0, 1, "V"))).get(0).error());
    }

    @Test
    void aTruncatedImageIsAFailedResult() throws Exception {
        Path small = dir.resolve("small");
        Files.write(small, new byte[12]);
        RevPiAioDriver driver = new RevPiAioDriver(small, AIO);
        driver.connect();
        ChannelResult result = driver.read(List.of(aio("ai2", "InputValue_2", "0-10V", 0, 1, "V"))).get(0);
        assertFalse(result.success());
        driver.close();
    }

    private RevPiAioDriver open(int moduleOffset) throws IOException, DriverException {
        Path file = dir.resolve("piControl0");
        Files.write(file, image.array());
        RevPiAioDriver driver = new RevPiAioDriver(file, moduleOffset);
        driver.connect();
        return driver;
    }

    private static ChannelConfig aio(String id, String input, String signal, double low, double high, String unit) {
        return channel(id, signal, low, high, unit).input(input).build();
    }

    private static ChannelConfig rtd(String id, String input, String signal) {
        return channel(id, signal, -200, 850, "°C").input(input).build();
    }
}
