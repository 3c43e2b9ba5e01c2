package io.iiotroutes.node;

/**
 * Simulated signal in SIGNAL units (mA, V, ohm, counts). shape: sine | ramp | step | random-walk | noise | constant.
 * step is a square wave between min and max; random-walk moves by a gaussian step per sample, bounded by min/max;
 * noise adds gaussian noise (standard deviation) to any shape.
 */
public record SimulationConfig(String shape, Double min, Double max, Double periodS, Double noise, Double step,
                               Double value) {

    public SimulationConfig {
        periodS = periodS == null ? 60.0 : periodS;
        noise = noise == null ? 0.0 : noise;
        if (min != null && max != null) {
            value = value == null ? Double.valueOf((min + max) / 2) : value;
            step = step == null ? Double.valueOf((max - min) / 50) : step;
        }
    }
}
