package io.iiotroutes.tsdb;

import java.math.BigDecimal;

/**
 * Writes points in InfluxDB line protocol (the write format of InfluxDB 1.x and 2.x and of QuestDB's InfluxDB
 * Line Protocol endpoint), timestamps in milliseconds, straight into one text: the server's hot path builds each
 * reading's line once, with no per-point maps or number formatters (docs/performance.md).
 * <p>
 * Escaping follows the line protocol reference: a backslash before comma and space in the measurement; before comma,
 * equals sign and space in tag keys, tag values and field keys (tab, CR and LF as {@code \t}, {@code \r},
 * {@code \n}, as influxdb-client-java writes them); before double quote and backslash in string field values. A tag
 * with an empty value is left out (the protocol has none). Floats are written in plain decimal, never with an
 * exponent, and read back to the same double; non-finite floats have no line-protocol form, so the field is left
 * out (the decoders refuse them before this). {@code LineProtocolTest} holds it against influxdb-client-java's
 * encoder.
 * <pre>
 * LineProtocol lines = new LineProtocol();
 * lines.measurement("reading").tag("site", "s1").floatField("value", 1.5).end(1700000000000L);
 * </pre>
 */
public final class LineProtocol {

    private final StringBuilder text;
    private int points;
    private boolean firstField;
    private int lineStart;

    public LineProtocol() {
        this(256);
    }

    public LineProtocol(int capacity) {
        text = new StringBuilder(capacity);
    }

    /** Starts a point (a line). */
    public LineProtocol measurement(String name) {
        if (text.length() > 0) {
            text.append('\n');
        }
        lineStart = text.length();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ',' || c == ' ') {
                text.append('\\');
            }
            appendControl(c);
        }
        firstField = true;
        return this;
    }

    /** A tag; left out when its value is null or empty. Tags must come before the first field. */
    public LineProtocol tag(String key, String value) {
        if (value == null || value.isEmpty()) {
            return this;
        }
        text.append(',');
        appendKey(key);
        text.append('=');
        appendKey(value);
        return this;
    }

    /** A float field, in plain decimal; left out when null or not finite. */
    public LineProtocol floatField(String key, Double value) {
        if (value == null || !Double.isFinite(value)) {
            return this;
        }
        startField(key);
        appendDouble(value);
        return this;
    }

    /** An integer field ({@code 42i}); left out when null. */
    public LineProtocol integerField(String key, Long value) {
        if (value == null) {
            return this;
        }
        startField(key);
        text.append(value).append('i');
        return this;
    }

    public LineProtocol booleanField(String key, boolean value) {
        startField(key);
        text.append(value);
        return this;
    }

    /** A string field; left out when null. */
    public LineProtocol stringField(String key, String value) {
        if (value == null) {
            return this;
        }
        startField(key);
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                text.append('\\');
            }
            text.append(c);
        }
        text.append('"');
        return this;
    }

    /**
     * Ends the point at {@code epochMillis}. A point without any field has no line-protocol form: it is taken back
     * and not counted.
     */
    public LineProtocol end(long epochMillis) {
        if (firstField) {
            text.setLength(lineStart == 0 ? 0 : lineStart - 1);
            return this;
        }
        text.append(' ').append(epochMillis);
        points++;
        return this;
    }

    /** The points written so far. */
    public Lines lines() {
        return new Lines(text.toString(), points);
    }

    private void startField(String key) {
        text.append(firstField ? ' ' : ',');
        firstField = false;
        appendKey(key);
        text.append('=');
    }

    private void appendKey(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == ',' || c == '=' || c == ' ') {
                text.append('\\');
            }
            appendControl(c);
        }
    }

    private void appendControl(char c) {
        switch (c) {
            case '\n' -> text.append("\\n");
            case '\r' -> text.append("\\r");
            case '\t' -> text.append("\\t");
            default -> text.append(c);
        }
    }

    private void appendDouble(double value) {
        double magnitude = Math.abs(value);
        if (magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
            text.append(value);   // Double.toString: plain decimal in this range, shortest that reads back exactly
        } else {
            text.append(new BigDecimal(Double.toString(value)).toPlainString());
        }
    }
}
