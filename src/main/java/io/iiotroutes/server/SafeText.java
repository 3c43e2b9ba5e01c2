package io.iiotroutes.server;

/**
 * Free text on its way into the TSDB: control characters (newline above all) end a line-protocol record, and the
 * InfluxDB client does not escape them in string fields, so they are written as visible {@code \\uXXXX} escapes.
 */
public final class SafeText {

    private SafeText() {
    }

    public static String of(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder safe = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                if (safe == null) {
                    safe = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                safe.append(String.format("\\u%04x", (int) c));
            } else if (safe != null) {
                safe.append(c);
            }
        }
        return safe == null ? text : safe.toString();
    }

    public static boolean hasControlCharacters(String text) {
        return text != null && text.chars().anyMatch(Character::isISOControl);
    }
}
