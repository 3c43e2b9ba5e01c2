package io.iiotroutes.edge.sampling;

import io.iiotroutes.edge.driver.ChannelResult;

/** Oversampling: the samples of one channel taken in one tick, averaged. */
final class SampleAccumulator {

    private double valueSum;
    private long rawSum;
    private int successes;
    private int rawCount;
    private int failures;
    private String lastError;

    void add(ChannelResult result) {
        if (!result.success()) {
            failures++;
            lastError = result.error();
            return;
        }
        successes++;
        valueSum += result.value();
        if (result.raw() != null) {
            rawSum += result.raw();
            rawCount++;
        }
    }

    boolean anySuccess() {
        return successes > 0;
    }

    int failures() {
        return failures;
    }

    String lastError() {
        return lastError;
    }

    double mean() {
        return valueSum / successes;
    }

    /** Mean ADC counts, null when the driver has none. */
    Long meanRaw() {
        return rawCount == 0 ? null : Math.round((double) rawSum / rawCount);
    }
}
