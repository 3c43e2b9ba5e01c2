package io.iiotroutes.model;

/**
 * One channel's value in a sample cycle.
 *
 * @param channel channel id, unique within the node (e.g. {@code ai1})
 * @param value   engineering value; {@code null} when the driver could not produce one
 * @param unit    engineering unit (e.g. {@code bar}, {@code degC})
 * @param raw     raw ADC counts as read from the device; {@code null} when not applicable
 * @param quality GOOD, UNCERTAIN or BAD
 * @param reason  why the quality is not GOOD; {@code null} when GOOD
 */
public record Reading(String channel, Double value, String unit, Long raw, Quality quality, String reason) {

    public static Reading good(String channel, double value, String unit, Long raw) {
        return new Reading(channel, value, unit, raw, Quality.GOOD, null);
    }
}
