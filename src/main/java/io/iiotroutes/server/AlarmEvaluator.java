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
 * Deterministic, so that server replicas agree without talking: every replica evaluates the same readings (each
 * node's stream in the broker's order), and an event's time is source time and its id derived from the alarm and
 * its raise time ({@link AlarmIds}), so each replica produces the same events and the TSDB keeps one row of each.
 * Acknowledgements carry their time to the others ({@link #acknowledge(long, long)}); a replica that was away or
 * lags takes the others' state ({@link #adopt}).
 * <p>
 * Thread-safe. Time is source time: a raise or clear is stamped when its delay elapsed, so a replayed backlog
 * raises and clears where it happened, with no delay cut short. An older reading than the last one of its channel
 * changes nothing. Between readings a live channel's pending delay completes on the server's clock ({@link #due}).
 * <p>
 * The active alarms outlive a restart: a listener ({@link #onChange}) is told the state after every change, and
 * {@link #restore} puts it back at start-up, so an alarm still out of limits is neither raised nor acknowledged again.
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

    private final Map<String, ChannelState> channels = new ConcurrentHashMap<>();
    private final Deque<AlarmEvent> recent = new ArrayDeque<>();
    private final int maxRecent;
    private final Clock clock;
    private static final int MAX_ACKNOWLEDGED_AHEAD = 1000;
    private long joinHoldMillis;
    /** Acknowledgements made on other replicas of alarms this one has not raised yet, by id (oldest first). */
    private final Map<Long, Long> acknowledgedAhead = new java.util.LinkedHashMap<>();
    /** Per node (site/node), when its alarms last changed ({@link AlarmState}); only nodes with limits. */
    private final Map<String, Long> changedAt = new java.util.HashMap<>();
    private Consumer<AlarmState> changeListener = state -> { };

    public AlarmEvaluator(int maxRecentEvents) {
        this(maxRecentEvents, Clock.systemUTC());
    }

    public AlarmEvaluator(int maxRecentEvents, Clock clock) {
        this.maxRecent = maxRecentEvents;
        this.clock = clock;
    }

    /** Called, under this evaluator's lock, with the state after every raise, clear, acknowledgement and adoption. */
    public synchronized void onChange(Consumer<AlarmState> listener) {
        this.changeListener = listener;
    }

    /** Puts back the state saved before a restart (alarms on channels still with that limit); how many came back. */
    public synchronized int restore(AlarmState saved) {
        saved.changedAt().forEach((node, at) -> {
            if (hasLimitsOn(node)) {
                changedAt.put(node, at);
            }
        });
        int restored = 0;
        for (ActiveAlarm alarm : saved.active()) {
            ChannelState state = channels.get(key(alarm.site(), alarm.node(), alarm.channel()));
            if (state == null || !AlarmLevels.hasLimit(state.limits, alarm.level())) {
                continue;
            }
            state.alarm = alarm;
            state.level = alarm.level();
            state.lastValue = alarm.value();
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

    /** One reading taken at {@code sourceTime}; {@code live} is false for one replayed from a journal. */
    public synchronized List<AlarmEvent> evaluate(String site, String node, String channel, Double value,
                                                  Quality quality, String unit, long sourceTime, boolean live) {
        ChannelState state = channels.get(key(site, node, channel));
        if (state == null || sourceTime < state.lastSourceTime) {
            return List.of();
        }
        if (state.lastSourceTime == Long.MIN_VALUE) {
            state.firstArrival = clock.millis();
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
        Level target = AlarmLevels.target(state.limits, state.level, value);
        if (target == state.level) {
            state.pending = false;
            return List.of();
        }
        if (!state.pending || state.pendingLevel != target) {
            state.pending = true;
            state.pendingLevel = target;
            state.pendingSince = sourceTime;
        }
        return sourceTime - state.pendingSince >= state.limits.delayMs() && !joining(state)
                ? transition(state, state.pendingSince + state.limits.delayMs()) : List.of();
    }

    /** A replica that just started reading a channel may have missed the change the others' state tells: it waits. */
    private boolean joining(ChannelState state) {
        return joinHoldMillis > 0 && clock.millis() - state.firstArrival < joinHoldMillis;
    }

    /**
     * For a server replica: changes wait this long after a channel's first reading here, for the others' state
     * (taken if it comes, {@link #adopt}); then {@link #due} makes what is still pending, at its own time. 0: none.
     */
    public synchronized void holdFirstChanges(long millis) {
        this.joinHoldMillis = millis;
    }

    /** Completes pending changes whose delay passed since the last reading (a live channel's, on the server's clock). */
    public synchronized List<AlarmEvent> due() {
        long now = clock.millis();
        List<AlarmEvent> events = new ArrayList<>();
        for (ChannelState state : channels.values()) {
            if (!state.pending || state.lastValue == null || !state.lastLive || joining(state)) {
                continue;
            }
            long sourceNow = state.lastSourceTime + Math.max(0, now - state.lastArrival);
            if (sourceNow - state.pendingSince >= state.limits.delayMs()) {
                events.addAll(transition(state, state.pendingSince + state.limits.delayMs()));
            }
        }
        return events;
    }

    /** An operator acknowledges an alarm here, now. */
    public synchronized AckResult acknowledge(long id) {
        return acknowledge(id, clock.millis());
    }

    /** An acknowledgement made at {@code at}, here or on another replica: the same event and time on every replica. */
    public synchronized AckResult acknowledge(long id, long at) {
        for (ChannelState state : channels.values()) {
            ActiveAlarm alarm = state.alarm;
            if (alarm != null && alarm.id() == id) {
                if (alarm.acknowledged()) {
                    return new AckResult(AckOutcome.ALREADY_ACKNOWLEDGED, null);
                }
                state.alarm = new ActiveAlarm(alarm.id(), alarm.site(), alarm.node(), alarm.channel(), alarm.level(),
                        alarm.limit(), alarm.value(), alarm.unit(), alarm.raisedAt(), true, at);
                touch(alarm.site(), alarm.node(), at);
                AlarmEvent event = event(alarm, EventType.ACKNOWLEDGED, at);
                remember(event);
                changed();
                return new AckResult(AckOutcome.ACKNOWLEDGED, event);
            }
        }
        return new AckResult(AckOutcome.UNKNOWN, null);
    }

    /** What {@link #adopt} made of another replica's state of a node. */
    public enum Adoption { ADOPTED, SAME, OURS_NEWER }

    /** What {@link #adopt} did, and the events it implies here (to be shown: the replica that made them stored them). */
    public record Adopted(Adoption outcome, List<AlarmEvent> events) {
    }

    /**
     * Takes a node's alarms as another replica published them, if newer than this replica's ({@code theirChangedAt}):
     * a replica that was away, or lags behind, or started while an alarm was pending, ends with the same alarms
     * (same ids) as the others instead of raising them again. Channels of the node not named are cleared; alarms on
     * channels or levels without limits here are ignored; where both raised the same level, the earlier raise
     * stands. Acknowledgements made elsewhere count even when the state is not newer (they only ever add).
     * {@link Adoption#OURS_NEWER}: the sender (or the broker's retained copy) is behind this replica.
     */
    public synchronized Adopted adopt(String site, String node, List<ActiveAlarm> alarms, long theirChangedAt) {
        String key = site + "/" + node;
        long ours = changedAt.getOrDefault(key, 0L);
        List<ChannelState> ofNode = channels.values().stream().filter(c -> c.of(site, node)).toList();
        // behind them in the node's stream: this replica evaluates the same readings itself, and gets there
        boolean behind = ofNode.stream().anyMatch(c -> c.lastSourceTime != Long.MIN_VALUE && c.lastSourceTime < theirChangedAt);
        if (ofNode.isEmpty() || theirChangedAt <= ours || behind) {
            List<AlarmEvent> acknowledged = new ArrayList<>();
            for (ActiveAlarm alarm : alarms) {
                if (alarm.acknowledged() && alarm.acknowledgedAt() != null) {
                    AlarmEvent event = acknowledge(alarm.id(), alarm.acknowledgedAt()).event();
                    if (event != null) {
                        acknowledged.add(event);
                    } else if (!ofNode.isEmpty()) {
                        acknowledgedAhead(alarm.id(), alarm.acknowledgedAt());
                    }
                }
            }
            Adoption outcome = theirChangedAt < ours ? Adoption.OURS_NEWER : Adoption.SAME;
            return new Adopted(ofNode.isEmpty() ? Adoption.SAME : outcome, acknowledged);
        }
        List<AlarmEvent> events = new ArrayList<>();
        for (ChannelState state : ofNode) {
            ActiveAlarm theirs = alarms.stream()
                    .filter(a -> a.channel().equals(state.channel) && AlarmLevels.hasLimit(state.limits, a.level()))
                    .findFirst().orElse(null);
            ActiveAlarm mine = state.alarm;
            boolean sameAlarm = mine != null && theirs != null && mine.id() == theirs.id();
            if (java.util.Objects.equals(mine, theirs) || (mine != null && theirs != null && !sameAlarm
                    && mine.level() == theirs.level() && mine.raisedAt() < theirs.raisedAt())) {
                continue;
            }
            if (mine != null && !sameAlarm) {
                events.add(event(mine, EventType.CLEARED, theirChangedAt));
            }
            if (theirs != null && !sameAlarm) {
                events.add(event(theirs, EventType.RAISED, theirs.raisedAt()));
            }
            if (theirs != null && theirs.acknowledged() && theirs.acknowledgedAt() != null
                    && (!sameAlarm || !mine.acknowledged())) {
                events.add(event(theirs, EventType.ACKNOWLEDGED, theirs.acknowledgedAt()));
            }
            state.alarm = theirs;
            state.level = theirs == null ? null : theirs.level();
            state.pending = false;
        }
        changedAt.put(key, theirChangedAt);
        events.forEach(this::remember);
        changed();
        return new Adopted(Adoption.ADOPTED, events);
    }

    /** An acknowledgement of an alarm this replica has yet to raise (it lags): applied when it does. Bounded. */
    private void acknowledgedAhead(long id, long at) {
        acknowledgedAhead.put(id, at);
        if (acknowledgedAhead.size() > MAX_ACKNOWLEDGED_AHEAD) {
            acknowledgedAhead.remove(acknowledgedAhead.keySet().iterator().next());
        }
    }

    private static AlarmEvent event(ActiveAlarm alarm, EventType type, long time) {
        return new AlarmEvent(alarm.id(), type, alarm.site(), alarm.node(), alarm.channel(), alarm.level(),
                alarm.limit(), alarm.value(), alarm.unit(), time);
    }

    /** When the node's alarms last changed here ({@link AlarmState}); 0 when never. */
    public synchronized long changedAt(String site, String node) {
        return changedAt.getOrDefault(site + "/" + node, 0L);
    }

    /** The active alarms of one node, newest first. */
    public synchronized List<ActiveAlarm> active(String site, String node) {
        return active().stream().filter(a -> a.site().equals(site) && a.node().equals(node)).toList();
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
        List<AlarmEvent> events = new ArrayList<>(3);
        Long acknowledgedAt = null;
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
            double limit = AlarmLevels.limit(state.limits, target);
            state.alarm = new ActiveAlarm(AlarmIds.of(state.site, state.node, state.channel, target, now), state.site,
                    state.node, state.channel, target, limit, state.lastValue, state.unit, now, false, null);
            events.add(new AlarmEvent(state.alarm.id(), EventType.RAISED, state.site, state.node, state.channel,
                    target, limit, state.lastValue, state.unit, now));
            acknowledgedAt = acknowledgedAhead.remove(state.alarm.id());
            if (acknowledgedAt != null) {
                state.alarm = new ActiveAlarm(state.alarm.id(), state.site, state.node, state.channel, target, limit,
                        state.lastValue, state.unit, now, true, acknowledgedAt);
                events.add(event(state.alarm, EventType.ACKNOWLEDGED, acknowledgedAt));
            }
        }
        events.forEach(this::remember);
        if (!events.isEmpty()) {
            touch(state.site, state.node, now);
            if (acknowledgedAt != null) {
                touch(state.site, state.node, acknowledgedAt);   // as on the replica where it was acknowledged
            }
            changed();
        }
        return events;
    }

    private void changed() {
        changeListener.accept(new AlarmState(active(), changedAt));
    }

    /** The node's alarms changed at {@code time}: the change count grows even when time does not. */
    private void touch(String site, String node, long time) {
        changedAt.merge(site + "/" + node, time, (before, now) -> Math.max(before + 1, now));
    }

    private boolean hasLimitsOn(String siteNode) {
        return channels.values().stream().anyMatch(s -> siteNode.equals(s.site + "/" + s.node));
    }

    private void remember(AlarmEvent event) {
        recent.addFirst(event);
        while (recent.size() > maxRecent) {
            recent.removeLast();
        }
    }

    private static String key(String site, String node, String channel) {
        return site + "/" + node + "/" + channel;
    }
}
