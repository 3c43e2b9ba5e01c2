package io.iiotroutes.it;

import java.util.Locale;

import static io.iiotroutes.it.BenchProc.ms;

/**
 * One step's figures. Rates in messages/s; points = messages x channels.
 *
 * @param kind         "ramp", "many-nodes" or "fault"
 * @param storedAt     when the last point was visible (epoch ms), -1 when not within the drain window
 * @param tsdbStop     fault step: when the TSDB was being stopped (epoch ms), else -1
 * @param tsdbRestart  fault step: when the TSDB answered again after its restart (epoch ms), else -1
 */
record BenchStep(String kind, String site, String system, String broker, String tsdb, int rate, int nodes, int channels,
                 long expectedPoints, long publishedMessages, long storedPoints, long gaps, double achievedPointsPerSecond,
                 long lagMillis, double[] wsMillis, long wsFrames, double[] tsdbMillis, double cpuSecondsPerMillion,
                 long peakRssKb, long maxLagMillis, String loadAverage, double offeredSeconds, double maxOfferedSeconds,
                 BenchProc.CpuWindow.Shares cpu, long storedAt, long tsdbStop, long tsdbRestart) {

    /** The load generator published the step's messages in time: the rate was really offered. */
    boolean offered() {
        return offeredSeconds <= maxOfferedSeconds;
    }

    boolean lossless() {
        return storedPoints == expectedPoints && gaps == 0;
    }

    boolean passed() {
        return offered() && lossless() && lagMillis >= 0 && lagMillis <= maxLagMillis;
    }

    long publishedPoints() {
        return publishedMessages * channels;
    }

    /** Fault step: points confirmed to the publishers but not stored after the drain. */
    long lostPoints() {
        return Math.max(0, publishedPoints() - storedPoints);
    }

    /** Fault step: from the TSDB's restart until the last point was visible, in s; NaN when it never was. */
    double catchUpSeconds() {
        return storedAt < 0 || tsdbRestart < 0 ? Double.NaN : Math.max(0, storedAt - tsdbRestart) / 1000.0;
    }

    /** Fault step: how long the TSDB was away (stopping, stopped, starting), in s. */
    double tsdbDownSeconds() {
        return tsdbStop < 0 || tsdbRestart < 0 ? Double.NaN : (tsdbRestart - tsdbStop) / 1000.0;
    }

    String verdict() {
        return passed() ? "yes" : offered() ? "**no**" : "**no** (generator limit)";
    }

    String line() {
        return String.format(Locale.ROOT, "%s %-8s %-9s %-8s %5d msg/s %4d nodes  offered in %.1f s  stored %d/%d gaps %d lag %d ms  "
                        + "ws p50/p99/p99.9 %s (%d frames)  tsdb %s  cpu %.1f s/Mpts  cores %s  peak RSS %d MB  load %s  %s",
                kind, system, broker, tsdb, rate, nodes, offeredSeconds, storedPoints, expectedPoints, gaps, lagMillis,
                ms(wsMillis), wsFrames, ms(tsdbMillis), cpuSecondsPerMillion, cpu, peakRssKb / 1024, loadAverage,
                passed() ? "PASS" : offered() ? "FAIL" : "FAIL (load generator behind)");
    }
}
