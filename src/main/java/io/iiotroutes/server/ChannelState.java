package io.iiotroutes.server;

import io.iiotroutes.node.AlarmConfig;
import io.iiotroutes.server.AlarmEvaluator.ActiveAlarm;
import io.iiotroutes.server.AlarmEvaluator.Level;

/** One channel's alarm state in the {@link AlarmEvaluator} (guarded by the evaluator's lock). */
final class ChannelState {
    final String site;
    final String node;
    final String channel;
    final AlarmConfig limits;
    String unit;
    Level level;
    ActiveAlarm alarm;
    boolean pending;
    Level pendingLevel;
    long pendingSince;
    Double lastValue;
    /** The source time of the last reading evaluated; {@link Long#MIN_VALUE} while none was. */
    long lastSourceTime = Long.MIN_VALUE;
    long lastArrival;
    /** When the first reading of the channel was evaluated here (server clock). */
    long firstArrival;
    boolean lastLive;

    ChannelState(String site, String node, String channel, AlarmConfig limits, String unit) {
        this.site = site;
        this.node = node;
        this.channel = channel;
        this.limits = limits;
        this.unit = unit;
    }

    boolean of(String site, String node) {
        return this.site.equals(site) && this.node.equals(node);
    }
}
