package io.iiotroutes.node;

/**
 * Driver section; each driver reads only its own fields, the rest stay at their defaults.
 * ads1115: bus, address, dataRate. mcp3008: bus, chipSelect, vref, baud. revpi-aio: processImage, moduleOffset.
 * simulated: seed.
 */
public record DriverConfig(String type, Integer bus, Integer address, Integer dataRate, Integer chipSelect,
                           Double vref, Integer baud, String processImage, Integer moduleOffset, Long seed) {

    public static final String DEFAULT_PROCESS_IMAGE = "/dev/piControl0";
    /** Offset of the first module right of a RevPi Connect / Connect+ / Connect S / Core (11-byte base image). */
    public static final int DEFAULT_MODULE_OFFSET = 11;

    public DriverConfig {
        bus = bus != null ? bus : "mcp3008".equalsIgnoreCase(type) ? 0 : 1;
        address = address != null ? address : 0x48;
        dataRate = dataRate != null ? dataRate : 128;
        chipSelect = chipSelect != null ? chipSelect : 0;
        vref = vref != null ? vref : 3.3;
        baud = baud != null ? baud : 1_000_000;
        processImage = processImage != null ? processImage : DEFAULT_PROCESS_IMAGE;
        moduleOffset = moduleOffset != null ? moduleOffset : DEFAULT_MODULE_OFFSET;
        seed = seed != null ? seed : 1L;
    }

    public DriverType driverType() {
        return DriverType.find(type).orElseThrow(() -> new IllegalStateException("unvalidated driver type " + type));
    }
}
