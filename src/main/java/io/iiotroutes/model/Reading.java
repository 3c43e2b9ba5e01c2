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

    /** Longest unit the contract allows (a unit is a short symbol: bar, degC, m3/h). */
    public static final int MAX_UNIT_LENGTH = 32;
    /** Longest reason the contract allows; the edge shortens a longer driver message to this. */
    public static final int MAX_REASON_LENGTH = 256;

    /** A reason as the contract allows it: null stays null, a longer text is cut with an ellipsis. */
    public static String boundedReason(String reason) {
        return reason == null || reason.length() <= MAX_REASON_LENGTH ? reason
                : reason.substring(0, MAX_REASON_LENGTH - 1) + "…";
    }

    public static Reading good(String channel, double value, String unit, Long raw) {
        return new Reading(channel, value, unit, raw, Quality.GOOD, null);
    }
}
