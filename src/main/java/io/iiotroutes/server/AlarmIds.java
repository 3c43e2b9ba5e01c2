package io.iiotroutes.server;

import io.iiotroutes.server.AlarmEvaluator.Level;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Alarm ids the same on every replica that evaluates the same readings: derived from what the alarm is and when it
 * was raised (in source time), within 53 bits so that a browser's JavaScript number holds it exactly.
 */
final class AlarmIds {

    private AlarmIds() {
    }

    static long of(String site, String node, String channel, Level level, long raisedAt) {
        byte[] name = (site + "/" + node + "/" + channel + "/" + level + "@" + raisedAt).getBytes(StandardCharsets.UTF_8);
        UUID uuid = UUID.nameUUIDFromBytes(name);
        return (uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits()) & ((1L << 53) - 1);
    }
}
