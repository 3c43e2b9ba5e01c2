package io.iiotroutes.server;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The REST API's query parameters: times (epoch ms or ISO-8601) and history steps, bounded in what they accept. */
final class ApiParameters {

    private static final Pattern STEP = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private ApiParameters() {
    }

    static Instant time(String name, String text) throws ApiError {
        String t = text.trim();
        try {
            if (t.matches("-?\\d{1,15}")) {
                return Instant.ofEpochMilli(Long.parseLong(t));
            }
            return Instant.parse(t);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ApiError(400, "'" + name + "' must be epoch milliseconds or an ISO-8601 instant"
                    + " (2024-05-01T12:00:00Z), got '" + text + "'");
        }
    }

    /** Null for raw readings. */
    static Duration step(String text) throws ApiError {
        if (text == null || text.isBlank() || text.trim().equals("raw")) {
            return null;
        }
        Matcher m = STEP.matcher(text.trim());
        if (!m.matches()) {
            throw new ApiError(400, "'step' must be raw or a number with ms, s, m, h or d (10s, 5m), got '" + text + "'");
        }
        long amount = Long.parseLong(m.group(1));
        Duration step = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (step.toMillis() < 1) {
            throw new ApiError(400, "'step' must be at least 1ms, got '" + text + "'");
        }
        return step;
    }
}
