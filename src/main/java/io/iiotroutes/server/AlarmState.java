package io.iiotroutes.server;

import io.iiotroutes.server.AlarmEvaluator.ActiveAlarm;

import java.util.List;
import java.util.Map;

/**
 * What the alarm evaluator remembers across a restart and shares with other replicas: the active alarms (with their
 * acknowledgements), and per node ({@code site/node}) when its alarms last changed, a number that grows with every
 * raise, clear and acknowledgement (the event's time, or one more than the last one), so that of two states of a
 * node the newer is known.
 */
public record AlarmState(List<ActiveAlarm> active, Map<String, Long> changedAt) {

    public static final AlarmState NONE = new AlarmState(List.of(), Map.of());

    public AlarmState {
        active = List.copyOf(active);
        changedAt = Map.copyOf(changedAt);
    }
}
