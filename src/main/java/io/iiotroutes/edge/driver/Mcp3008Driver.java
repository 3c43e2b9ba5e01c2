package io.iiotroutes.edge.driver;

import com.pi4j.context.Context;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiBus;
import com.pi4j.io.spi.SpiChipSelect;
import com.pi4j.io.spi.SpiMode;
import io.iiotroutes.node.ChannelConfig;

import java.util.List;
import java.util.function.Supplier;

/**
 * Microchip MCP3008 10-bit ADC on SPI (mode 0), single-ended CH0..CH7.
 * One 3-byte transfer per conversion: [start bit 0x01, SGL/DIFF=1 + channel in the high nibble, don't care];
 * the answer's last 10 bits are the result.
 */
public final class Mcp3008Driver implements Driver {

    /** End-point scaling: 1023 counts read exactly vref, so an input tied to VREF reports vref. */
    public static final int FULL_SCALE_COUNTS = 1023;

    private final int bus;
    private final int chipSelect;
    private final int baud;
    private final double vref;
    private final Supplier<Context> contexts;
    private Context context;
    private Spi device;

    /** The driver owns the context it gets from {@code contexts} and shuts it down on close. */
    public Mcp3008Driver(int bus, int chipSelect, int baud, double vref, Supplier<Context> contexts) {
        this.bus = bus;
        this.chipSelect = chipSelect;
        this.baud = baud;
        this.vref = vref;
        this.contexts = contexts;
    }

    /** The bytes sent for one single-ended conversion of the channel. */
    public static byte[] request(int channel) {
        return new byte[] {0x01, (byte) (0x80 | channel << 4), 0x00};
    }

    /** The 10-bit result in the answer to {@link #request(int)}. */
    public static int counts(byte[] answer) {
        return (answer[1] & 0x03) << 8 | answer[2] & 0xFF;
    }

    public double toVolts(int counts) {
        return counts * vref / FULL_SCALE_COUNTS;
    }

    public String deviceId() {
        return "mcp3008-spi" + bus + "-cs" + chipSelect;
    }

    @Override
    public void connect() throws DriverException {
        try {
            context = contexts.get();
            device = context.create(Spi.newConfigBuilder(context)
                    .id(deviceId()).name("MCP3008")
                    .bus(SpiBus.getByNumber(bus)).chipSelect(SpiChipSelect.getByNumber(chipSelect))
                    .mode(SpiMode.MODE_0).baud(baud).build());
        } catch (RuntimeException e) {
            close();
            throw new DriverException("MCP3008 on spidev" + bus + "." + chipSelect + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<ChannelResult> read(List<ChannelConfig> channels) {
        return channels.stream().map(this::read).toList();
    }

    private ChannelResult read(ChannelConfig channel) {
        if (device == null) {
            return ChannelResult.failure(channel.id(), "MCP3008 not connected");
        }
        try {
            byte[] answer = new byte[3];
            int status = device.transfer(request(Integer.parseInt(channel.input().trim())), answer);
            if (status < 0) {
                return ChannelResult.failure(channel.id(), "MCP3008 CH" + channel.input() + ": SPI transfer failed (" + status + ")");
            }
            int counts = counts(answer);
            if (channel.signalType().isRtd() && counts == FULL_SCALE_COUNTS) {
                return ChannelResult.failure(channel.id(), AnalogFrontEnd.RTD_SATURATED);
            }
            return ChannelResult.ok(channel.id(), AnalogFrontEnd.toSignal(channel, counts, toVolts(counts)), (long) counts);
        } catch (RuntimeException e) {
            return ChannelResult.failure(channel.id(), "MCP3008 CH" + channel.input() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        device = null;
        if (context != null) {
            context.shutdown();
            context = null;
        }
    }
}
