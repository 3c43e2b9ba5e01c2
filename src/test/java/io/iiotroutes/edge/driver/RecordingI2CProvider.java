package io.iiotroutes.edge.driver;

import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProviderImpl;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Pi4J's mock I2C provider, whose devices also log every register write. Needed because the mock's registers
 * are FIFOs: the driver's own status poll reads back (and so consumes) the config bytes it wrote.
 */
final class RecordingI2CProvider extends MockI2CProviderImpl {

    private RecordingI2C device;

    @Override
    public I2C create(I2CConfig config) {
        device = new RecordingI2C(this, config);
        context.registry().add(device);
        return device;
    }

    RecordingI2C device() {
        return device;
    }

    static final class RecordingI2C extends MockI2C {

        private final List<String> writes = new ArrayList<>();

        RecordingI2C(MockI2CProviderImpl provider, I2CConfig config) {
            super(provider, config);
        }

        @Override
        public int writeRegister(int register, byte[] data, int offset, int length) {
            writes.add(String.format("%02X:", register) + HexFormat.of().withUpperCase().formatHex(data, offset, offset + length));
            return super.writeRegister(register, data, offset, length);
        }

        /** Queues bytes a later read of the register returns, as the chip would; not logged as a driver write. */
        void preload(int register, int... bytes) {
            byte[] data = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                data[i] = (byte) bytes[i];
            }
            super.writeRegister(register, data, 0, data.length);
        }

        /** Driver writes as "RR:DATA" in hex, e.g. "01:C383". */
        List<String> writes() {
            return writes;
        }
    }
}
