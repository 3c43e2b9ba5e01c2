package io.iiotroutes.edge.driver;

import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.SignalType;
import io.iiotroutes.edge.convert.Rtd;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;

/**
 * Revolution Pi AIO module read through the piControl process image (/dev/piControl0, or any file with the same
 * layout). Assumes PiCtory's default input scaling: InputValue in mV (voltage ranges) or µA (current ranges),
 * RTDValue in 0.1 °C. RTD temperatures are turned back into ohms so that pt100/pt1000 channels get the same
 * conversion and wire-break rules as on an ADC.
 */
public final class RevPiAioDriver implements Driver {

    private final Path processImage;
    private final int moduleOffset;
    private RandomAccessFile image;

    /** @param moduleOffset offset of the AIO's first input byte in the process image (PiCtory "offset"). */
    public RevPiAioDriver(Path processImage, int moduleOffset) {
        this.processImage = processImage;
        this.moduleOffset = moduleOffset;
    }

    @Override
    public void connect() throws DriverException {
        try {
            image = new RandomAccessFile(processImage.toFile(), "r");
        } catch (IOException e) {
            throw new DriverException("cannot open process image " + processImage + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<ChannelResult> read(List<ChannelConfig> channels) {
        return channels.stream().map(this::read).toList();
    }

    private ChannelResult read(ChannelConfig channel) {
        if (image == null) {
            return ChannelResult.failure(channel.id(), "process image " + processImage + " not open");
        }
        RevPiAioInput input = RevPiAioInput.find(channel.input()).orElseThrow();
        try {
            int offset = channel.offset() != null ? channel.offset() : moduleOffset + input.valueOffset();
            short value = readInt16LittleEndian(offset);
            if (input.isRtd() && channel.offset() == null) {
                int status = readUnsigned8(moduleOffset + input.statusOffset());
                if (status != 0) {
                    return ChannelResult.failure(channel.id(), describeRtdStatus(status));
                }
            }
            return ChannelResult.ok(channel.id(), toSignal(channel.signalType(), input, value), (long) value);
        } catch (IOException e) {
            return ChannelResult.failure(channel.id(), "process image " + processImage + ": " + e.getMessage());
        }
    }

    private static double toSignal(SignalType signal, RevPiAioInput input, short value) {
        if (signal == SignalType.RAW) {
            return value;
        }
        if (input.isRtd()) {
            return Rtd.resistance(value / 10.0, signal.r0());
        }
        return value / 1000.0; // mV -> V, µA -> mA
    }

    static String describeRtdStatus(int status) {
        String hex = String.format("0x%02X", status);
        if ((status & 0x02) != 0) {
            return "wire break: AIO RTDStatus " + hex + " (above measuring range)";
        }
        if ((status & 0x01) != 0) {
            return "short circuit: AIO RTDStatus " + hex + " (below measuring range)";
        }
        return "AIO RTDStatus " + hex;
    }

    private short readInt16LittleEndian(int offset) throws IOException {
        byte[] bytes = new byte[2];
        image.seek(offset);
        image.readFully(bytes); // one read call, so both bytes come from the same piControl cycle
        return (short) (bytes[0] & 0xFF | (bytes[1] & 0xFF) << 8);
    }

    private int readUnsigned8(int offset) throws IOException {
        image.seek(offset);
        return image.readUnsignedByte();
    }

    @Override
    public void close() {
        if (image != null) {
            try {
                image.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
            image = null;
        }
    }
}
