package io.iiotroutes.tsdb;

import java.util.List;

/**
 * Points in InfluxDB line protocol, one per line, timestamps in milliseconds ({@link LineProtocol}).
 *
 * @param text   the lines, separated by {@code \n}, no trailing newline
 * @param points how many lines
 */
public record Lines(String text, int points) {

    public Lines {
        if (points < 0) {
            throw new IllegalArgumentException("points must not be negative");
        }
    }

    /** One request body of several messages' lines. */
    public static Lines join(List<Lines> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int length = 0;
        int points = 0;
        for (Lines part : parts) {
            length += part.text.length() + 1;
            points += part.points;
        }
        StringBuilder text = new StringBuilder(length);
        for (Lines part : parts) {
            if (part.points == 0) {
                continue;
            }
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(part.text);
        }
        return new Lines(text.toString(), points);
    }
}
