package io.iiotroutes.server;

import io.iiotroutes.node.AlarmConfig;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Server-side limit alarms: per channel HH/H/L/LL limits with hysteresis and delay (from the channel configuration).
 * <ul>
 *     <li>a level is reached when the value reaches its limit, and held until the value has moved back past the
 *     limit by the hysteresis (so a value wobbling around a limit raises once);</li>
 *     <li>a change of level takes effect only once the new level has held for the delay, without interruption;</li>
 *     <li>one alarm per channel at a time: H rising to HH clears the H alarm and raises an HH alarm;</li>
 *     <li>a BAD reading (or one without value) neither raises nor clears: it says nothing about the process; it
 *     restarts a pending delay;</li>
 *     <li>an operator acknowledges an active alarm; a new alarm (or level) needs a new acknowledgement.</li>
 * </ul>
 * Thread-safe. Time is the readings' source time: a raise or clear is stamped when its delay elapsed in source
 * time, and a replayed (historical) backlog raises and clears its alarms where they happened, neither stamped
 * "now" nor with delays cut short by the replay's speed. A reading older than the last one evaluated for its channel
 * is history and changes nothing. Between readings (report by exception) a pending delay of a live channel completes
 * on the server's clock ({@link #due}); one of a replayed channel waits for the next reading. Acknowledgements are
 * the operator's, on the server's clock.
 * <p>
 * The active alarms (with their acknowledgements) outlive a restart: a listener ({@link #onChange}) is told the
 * active alarms after every change, and {@link #restore} puts them back at start-up, so an alarm still out of
 * limits is neither raised again nor needs a second acknowledgement.
 */
public class AlarmEvaluator {

    public enum Level { LL, L, H, HH }

    public enum EventType { RAISED, CLEARED, ACKNOWLEDGED }

    /** What happened to an alarm; every event goes to MQTT, the TSDB and the live page. */
    public record AlarmEvent(long id, EventType event, String site, String node, String channel, Level level,
                             double limit, Double value, String unit, long time) {
    }

    /** An alarm currently raised. */
    public record ActiveAlarm(long id, String site, String node, String channel, Level level, double limit,
                              Double value, String unit, long raisedAt, boolean acknowledged, Long acknowledgedAt) {
    }

    public enum AckOutcome { ACKNOWLEDGED, ALREADY_ACKNOWLEDGED, UNKNOWN }

    public record AckResult(AckOutcome outcome, AlarmEvent event) {
    }

    private static final class ChannelState {
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
        long lastSourceTime = Long.MIN_VALUE;
        long lastArrival;
        boolean lastLive;

        ChannelState(String site, String node, String channel, AlarmConfig limits, String unit) {
            this.site = site;
            this.node = node;
            this.channel = channel;
            this.limits = limits;
            this.unit = unit;
        }
    }

    private final Map<String, ChannelState> channels = new ConcurrentHashMap<>();
    private final Deque<AlarmEvent> recent = new ArrayDeque<>();
    private final int maxRecent;
    private final Clock clock;
    private long nextId;
    private Consumer<List<ActiveAlarm>> changeListener = active -> { };

    public AlarmEvaluator(int maxRecentEvents) {
        this(maxRecentEvents, Clock.systemUTC());
    }

    public AlarmEvaluator(int maxRecentEvents, Clock clock) {
        this.maxRecent = maxRecentEvents;
        this.clock = clock;
        // ids stay unique across restarts without persisted state
        this.nextId = clock.millis();
    }

    /** Called, under this evaluator's lock, with the active alarms after every raise, clear and acknowledgement. */
    public synchronized void onChange(Consumer<List<ActiveAlarm>> listener) {
        this.changeListener = listener;
    }

    /**
     * Puts back alarms that were active before a restart, on channels that still have limits for their level
     * (others are dropped: their configuration changed). Call after {@link #configure}. Returns how many came back.
     */
    public synchronized int restore(List<ActiveAlarm> alarms) {
        int restored = 0;
        for (ActiveAlarm alarm : alarms) {
            ChannelState state = channels.get(key(alarm.site(), alarm.node(), alarm.channel()));
            if (state == null || !hasLimit(state.limits, alarm.level())) {
                continue;
            }
            state.alarm = alarm;
            state.level = alarm.level();
            state.lastValue = alarm.value();
            nextId = Math.max(nextId, alarm.id() + 1);
            restored++;
        }
        return restored;
    }

    /** Gives a channel its limits; channels without limits are never evaluated. */
    public void configure(String site, String node, String channel, AlarmConfig limits, String unit) {
        if (limits != null && limits.hasLimits()) {
            channels.put(key(site, node, channel), new ChannelState(site, node, channel, limits, unit));
        }
    }

    public boolean hasLimits(String site, String node, String channel) {
        return channels.containsKey(key(site, node, channel));
    }

    /** Evaluates every reading of a stored message at its source time; returns the events it caused (often none). */
    public List<AlarmEvent> evaluate(NodeMessage message) {
        List<AlarmEvent> events = new ArrayList<>();
        for (Reading reading : message.readings()) {
            events.addAll(evaluate(message.site(), message.node(), reading.channel(), reading.value(),
                    reading.quality(), reading.unit(), message.timestamp(), !message.historical()));
        }
        return events;
    }

    /** One live reading taken now (on this evaluator's clock). */
    public List<AlarmEvent> evaluate(String site, String node, String channel, Double value, Quality quality,
                                     String unit) {
        return evaluate(site, node, channel, value, quality, unit, clock.millis(), true);
    }

    /**
     * One reading taken at {@code sourceTime}; {@code live} is false for a reading replayed from a journal.
     */
    public synchronized List<AlarmEvent> evaluate(String site, String node, String channel, Double value,
                                                  Quality quality, String unit, long sourceTime, boolean live) {
        ChannelState state = channels.get(key(site, node, channel));
        if (state == null || sourceTime < state.lastSourceTime) {
            return List.of();
        }
        state.lastSourceTime = sourceTime;
        state.lastArrival = clock.millis();
        state.lastLive = live;
        if (unit != null) {
            state.unit = unit;
        }
        if (value == null || quality == Quality.BAD || !Double.isFinite(value)) {
            state.pending = false;
            state.lastValue = null;
            return List.of();
        }
        state.lastValue = value;
        Level target = target(state.limits, state.level, value);
        if (target == state.level) {
            state.pending = false;
            return List.of();
        }
        if (!state.pending || state.pendingLevel != target) {
            state.pending = true;
            state.pendingLevel = target;
            state.pendingSince = sourceTime;
        }
        return sourceTime - state.pendingSince >= state.limits.delayMs()
                ? transition(state, state.pendingSince + state.limits.delayMs()) : List.of();
    }

    /**
     * Completes the changes whose delay has passed since the last reading (called periodically): for a live channel
     * its source time is taken to run on with the server's clock since that reading arrived.
     */
    public synchronized List<AlarmEvent> due() {
        long now = clock.millis();
        List<AlarmEvent> events = new ArrayList<>();
        for (ChannelState state : channels.values()) {
            if (!state.pending || state.lastValue == null || !state.lastLive) {
                continue;
            }
            long sourceNow = state.lastSourceTime + Math.max(0, now - state.lastArrival);
            if (sourceNow - state.pendingSince >= state.limits.delayMs()) {
                events.addAll(transition(state, state.pendingSince + state.limits.delayMs()));
            }
        }
        return events;
    }

    public synchronized AckResult acknowledge(long id) {
        for (ChannelState state : channels.values()) {
            ActiveAlarm alarm = state.alarm;
            if (alarm != null && alarm.id() == id) {
                if (alarm.acknowledged()) {
                    return new AckResult(AckOutcome.ALREADY_ACKNOWLEDGED, null);
                }
                long now = clock.millis();
                state.alarm = new ActiveAlarm(alarm.id(), alarm.site(), alarm.node(), alarm.channel(), alarm.level(),
                        alarm.limit(), alarm.value(), alarm.unit(), alarm.raisedAt(), true, now);
                AlarmEvent event = new AlarmEvent(id, EventType.ACKNOWLEDGED, alarm.site(), alarm.node(),
                        alarm.channel(), alarm.level(), alarm.limit(), state.lastValue, alarm.unit(), now);
                remember(event);
                changed();
                return new AckResult(AckOutcome.ACKNOWLEDGED, event);
            }
        }
        return new AckResult(AckOutcome.UNKNOWN, null);
    }

    /** Alarms raised now, newest first. */
    public synchronized List<ActiveAlarm> active() {
        return channels.values().stream().map(s -> s.alarm).filter(a -> a != null)
                .sorted(Comparator.comparingLong(ActiveAlarm::raisedAt).reversed()).toList();
    }

    public synchronized Optional<ActiveAlarm> active(String site, String node, String channel) {
        ChannelState state = channels.get(key(site, node, channel));
        return state == null ? Optional.empty() : Optional.ofNullable(state.alarm);
    }

    /** The last events (bounded), newest first. */
    public synchronized List<AlarmEvent> recent() {
        return List.copyOf(recent);
    }

    /** The limits of a channel, if it has any. */
    public Optional<AlarmConfig> limits(String site, String node, String channel) {
        return Optional.ofNullable(channels.get(key(site, node, channel))).map(s -> s.limits);
    }

    private List<AlarmEvent> transition(ChannelState state, long now) {
        List<AlarmEvent> events = new ArrayList<>(2);
        Level target = state.pendingLevel;
        state.pending = false;
        if (state.alarm != null) {
            ActiveAlarm old = state.alarm;
            events.add(new AlarmEvent(old.id(), EventType.CLEARED, state.site, state.node, state.channel,
                    old.level(), old.limit(), state.lastValue, state.unit, now));
            state.alarm = null;
        }
        state.level = target;
        if (target != null) {
            double limit = limit(state.limits, target);
            state.alarm = new ActiveAlarm(nextId++, state.site, state.node, state.channel, target, limit,
                    state.lastValue, state.unit, now, false, null);
            events.add(new AlarmEvent(state.alarm.id(), EventType.RAISED, state.site, state.node, state.channel,
                    target, limit, state.lastValue, state.unit, now));
        }
        events.forEach(this::remember);
        if (!events.isEmpty()) {
            changed();
        }
        return events;
    }

    private void changed() {
        changeListener.accept(active());
    }

    private void remember(AlarmEvent event) {
        recent.addFirst(event);
        while (recent.size() > maxRecent) {
            recent.removeLast();
        }
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

    private static boolean hasLimit(AlarmConfig limits, Level level) {
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

    private static String key(String site, String node, String channel) {
        return site + "/" + node + "/" + channel;
    }
}
