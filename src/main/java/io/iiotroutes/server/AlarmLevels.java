package io.iiotroutes.server;

import io.iiotroutes.node.AlarmConfig;
import io.iiotroutes.server.AlarmEvaluator.Level;

/** The level arithmetic of limit alarms: which level a value reaches, and which level hysteresis still holds. */
final class AlarmLevels {

    private AlarmLevels() {
    }

    /** The level a value puts the channel in, given the level it is in now (hysteresis holds the current one). */
    static Level target(AlarmConfig limits, Level current, double value) {
        Level raw = rawLevel(limits, value);
        if (current == null) {
            return raw;
        }
        if (holds(limits, current, value)) {
            boolean sameSide = raw != null && high(raw) == high(current);
            return sameSide && severity(raw) > severity(current) ? raw
                    : raw != null && !sameSide ? raw : current;
        }
        // fallen back past an HH (LL) limit: the H (L) level may still hold with its own hysteresis
        if (current == Level.HH && limits.h() != null) {
            return target(limits, Level.H, value);
        }
        if (current == Level.LL && limits.l() != null) {
            return target(limits, Level.L, value);
        }
        return raw;
    }

    private static Level rawLevel(AlarmConfig limits, double value) {
        if (limits.hh() != null && value >= limits.hh()) {
            return Level.HH;
        }
        if (limits.h() != null && value >= limits.h()) {
            return Level.H;
        }
        if (limits.ll() != null && value <= limits.ll()) {
            return Level.LL;
        }
        if (limits.l() != null && value <= limits.l()) {
            return Level.L;
        }
        return null;
    }

    private static boolean holds(AlarmConfig limits, Level level, double value) {
        double hysteresis = limits.hysteresis();
        return switch (level) {
            case HH -> value > limits.hh() - hysteresis;
            case H -> value > limits.h() - hysteresis;
            case L -> value < limits.l() + hysteresis;
            case LL -> value < limits.ll() + hysteresis;
        };
    }

    private static boolean high(Level level) {
        return level == Level.H || level == Level.HH;
    }

    private static int severity(Level level) {
        return level == Level.HH || level == Level.LL ? 2 : 1;
    }

    static boolean hasLimit(AlarmConfig limits, Level level) {
        return switch (level) {
            case HH -> limits.hh() != null;
            case H -> limits.h() != null;
            case L -> limits.l() != null;
            case LL -> limits.ll() != null;
        };
    }

    static double limit(AlarmConfig limits, Level level) {
        return switch (level) {
            case HH -> limits.hh();
            case H -> limits.h();
            case L -> limits.l();
            case LL -> limits.ll();
        };
    }

}
