package io.iiotroutes.edge.sampling;

import io.iiotroutes.model.Reading;

import java.util.Objects;

/**
 * Decides whether a channel's new reading is worth publishing: the first reading, any change of quality or
 * reason, a value that moved more than the deadband from the last REPORTED value, or heartbeatMs since the
 * last report (so a stable value is still confirmed).
 */
public final class ReportByException {

    private final double deadband;
    private final long heartbeatMs;
    private Reading lastReported;
    private long lastReportAt;

    public ReportByException(double deadband, long heartbeatMs) {
        this.deadband = deadband;
        this.heartbeatMs = heartbeatMs;
    }

    /** True when the reading must be published; it then becomes the reference for later readings. */
    public boolean offer(Reading reading, long now) {
        if (!mustReport(reading, now)) {
            return false;
        }
        lastReported = reading;
        lastReportAt = now;
        return true;
    }

    private boolean mustReport(Reading reading, long now) {
        return lastReported == null
                || reading.quality() != lastReported.quality()
                || !Objects.equals(reading.reason(), lastReported.reason())
                || movedBeyondDeadband(reading.value(), lastReported.value())
                || now - lastReportAt >= heartbeatMs;
    }

    private boolean movedBeyondDeadband(Double value, Double reported) {
        if (value == null || reported == null) {
            return value != reported;
        }
        return Math.abs(value - reported) > deadband;
    }
}
