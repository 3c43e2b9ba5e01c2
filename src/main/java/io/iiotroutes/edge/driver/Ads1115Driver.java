package io.iiotroutes.edge.driver;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import io.iiotroutes.node.ChannelConfig;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * TI ADS1115 16-bit ADC on I2C, single-ended inputs AIN0..AIN3 against GND, single-shot conversions.
 * Per conversion: write the config register (OS start bit, MUX, PGA, MODE, DR, comparator off), wait one
 * conversion time, poll the OS bit until the conversion is done, read the signed big-endian conversion register.
 */
public final class Ads1115Driver implements Driver {

    static final int REG_CONVERSION = 0x00;
    static final int REG_CONFIG = 0x01;
    private static final int OS_START = 0x8000;
    private static final int MUX_SINGLE_ENDED_AIN0 = 0b100;
    private static final int MODE_SINGLE_SHOT = 0x0100;
    private static final int COMPARATOR_DISABLED = 0b11;
    private static final int MAX_POLLS = 10;

    private final int bus;
    private final int address;
    private final Ads1115DataRate dataRate;
    private final Supplier<Context> contexts;
    private final Pause pause;
    private Context context;
    private I2C device;

    /** The driver owns the context it gets from {@code contexts} and shuts it down on close. */
    public Ads1115Driver(int bus, int address, Ads1115DataRate dataRate, Supplier<Context> contexts, Pause pause) {
        this.bus = bus;
        this.address = address;
        this.dataRate = dataRate;
        this.contexts = contexts;
        this.pause = pause;
    }

    /** Config register value for one single-shot conversion of AIN{input} against GND. */
    public static int configWord(int input, Ads1115Gain gain, Ads1115DataRate rate) {
        return OS_START | (MUX_SINGLE_ENDED_AIN0 + input) << 12 | gain.bits() << 9 | MODE_SINGLE_SHOT
                | rate.bits() << 5 | COMPARATOR_DISABLED;
    }

    public String deviceId() {
        return "ads1115-i2c" + bus + "-0x" + Integer.toHexString(address);
    }

    @Override
    public void connect() throws DriverException {
        try {
            context = contexts.get();
            device = context.create(I2C.newConfigBuilder(context)
                    .id(deviceId()).name("ADS1115").bus(bus).device(address).build());
        } catch (RuntimeException e) {
            close();
            throw new DriverException("ADS1115 on i2c-" + bus + " at 0x" + Integer.toHexString(address)
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<ChannelResult> read(List<ChannelConfig> channels) {
        return channels.stream().map(this::read).toList();
    }

    private ChannelResult read(ChannelConfig channel) {
        if (device == null) {
            return ChannelResult.failure(channel.id(), "ADS1115 not connected");
        }
        try {
            Ads1115Gain gain = Ads1115Gain.of(channel.gain()).orElseThrow();
            int counts = convert(Integer.parseInt(channel.input().trim()), gain);
            if (channel.signalType().isRtd() && counts == Short.MAX_VALUE) {
                return ChannelResult.failure(channel.id(), AnalogFrontEnd.RTD_SATURATED);
            }
            double signal = AnalogFrontEnd.toSignal(channel, counts, gain.toVolts(counts));
            return ChannelResult.ok(channel.id(), signal, (long) counts);
        } catch (IOException | RuntimeException e) {
            return ChannelResult.failure(channel.id(), "ADS1115 AIN" + channel.input() + ": " + e.getMessage());
        }
    }

    private int convert(int input, Ads1115Gain gain) throws IOException {
        int config = configWord(input, gain, dataRate);
        device.writeRegister(REG_CONFIG, new byte[] {(byte) (config >> 8), (byte) config}, 0, 2);
        pause.pause(dataRate.conversionNanos());
        for (int poll = 0; poll < MAX_POLLS; poll++) {
            if ((readRegister(REG_CONFIG)[0] & 0x80) != 0) {
                byte[] data = readRegister(REG_CONVERSION);
                return (short) ((data[0] & 0xFF) << 8 | data[1] & 0xFF);
            }
            pause.pause(dataRate.conversionNanos() / 4);
        }
        throw new IOException("conversion not finished after " + MAX_POLLS + " polls");
    }

    private byte[] readRegister(int register) throws IOException {
        byte[] data = new byte[2];
        int read = device.readRegister(register, data, 0, 2);
        if (read != 2) {
            throw new IOException("short read of register " + register + " (" + read + " of 2 bytes)");
        }
        return data;
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
