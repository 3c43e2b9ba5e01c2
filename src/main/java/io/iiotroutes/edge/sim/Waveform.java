package io.iiotroutes.edge.sim;

import io.iiotroutes.node.SimulationConfig;

import java.util.Random;

/** A deterministic signal: time-based shapes depend only on t, random ones on the seeded generator. */
final class Waveform {

    private final Shape shape;
    private final SimulationConfig sim;
    private final Random random;
    private double walk;

    Waveform(SimulationConfig sim, Random random) {
        this.shape = Shape.find(sim.shape()).orElseThrow();
        this.sim = sim;
        this.random = random;
        this.walk = sim.value() != null ? sim.value() : 0;
    }

    /** Value t seconds after the start, in signal units, noise included. */
    double valueAt(double t) {
        return shapeAt(t) + (sim.noise() > 0 ? random.nextGaussian() * sim.noise() : 0);
    }

    private double shapeAt(double t) {
        double phase = t / sim.periodS() - Math.floor(t / sim.periodS());
        return switch (shape) {
            case SINE -> (sim.min() + sim.max()) / 2 + (sim.max() - sim.min()) / 2 * Math.sin(2 * Math.PI * phase);
            case RAMP -> sim.min() + (sim.max() - sim.min()) * phase;
            case STEP -> phase < 0.5 ? sim.min() : sim.max();
            case NOISE -> sim.min() + (sim.max() - sim.min()) * random.nextDouble();
            case RANDOM_WALK -> walk();
            case CONSTANT -> sim.value();
        };
    }

    /** Gaussian steps, reflected at min and max so the walk stays in range. */
    private double walk() {
        walk += random.nextGaussian() * sim.step();
        if (walk > sim.max()) {
            walk = 2 * sim.max() - walk;
        }
        if (walk < sim.min()) {
            walk = 2 * sim.min() - walk;
        }
        walk = Math.max(sim.min(), Math.min(sim.max(), walk));
        return walk;
    }
}
