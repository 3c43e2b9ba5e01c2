package io.iiotroutes.tsdb;

/**
 * The TSDB refused points for good (bad data, not a passing failure): writing them again cannot succeed, so the
 * message is dead-lettered instead of retried. Thrown by the InfluxDB 1.x write path for the refusals that
 * camel-influxdb2 reports as {@code BadRequestException} / {@code UnprocessableEntityException} on the v2 path.
 */
public class TsdbRefusedException extends RuntimeException {

    public TsdbRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
