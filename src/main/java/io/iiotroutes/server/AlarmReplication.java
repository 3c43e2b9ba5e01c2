package io.iiotroutes.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.ops.RateLimitedWarning;
import io.iiotroutes.server.AlarmEvaluator.ActiveAlarm;
import io.iiotroutes.server.AlarmEvaluator.AlarmEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Alarm state shared between server replicas through the broker: after every raise, clear and acknowledgement a
 * replica publishes the node's alarms, retained, on {@code iiot/v1/_alarms/{site}/{node}}
 * ({@code {"changedAt":..,"active":[..]}}, the active alarms as in the alarm state file). Every replica subscribes to
 * them all:
 * <ul>
 *     <li>a state newer than this replica's is taken ({@link AlarmEvaluator#adopt}): a replica that was down, cut
 *     off, lagging or started in the middle of an alarm's delay ends with the same alarms and ids as the others;</li>
 *     <li>acknowledgements count from any state, with their time: an alarm acknowledged on any replica is
 *     acknowledged on all;</li>
 *     <li>the retained copy the broker hands out when this replica (re)subscribes is the plant's state as the
 *     others left it; when it is older than this replica's (a publication lost while the broker was away), this
 *     replica publishes its own again.</li>
 * </ul>
 * Raises and clears mostly need no message: every replica evaluates the same readings to the same events (same
 * source times, same ids), and each stores them (one row in the TSDB); a replica that takes a state shows the
 * events it implies.
 */
public class AlarmReplication {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmReplication.class);
    /** A node's alarms: one per channel at most, a few hundred bytes each. */
    static final int MAX_PAYLOAD_BYTES = 256 * 1024;

    private final ObjectMapper json = new ObjectMapper();
    private final AlarmEvaluator alarms;
    private final RateLimitedWarning unreadable = new RateLimitedWarning(LOG, 60_000);
    private final LongAdder refused = new LongAdder();
    private final LongAdder adopted = new LongAdder();

    public AlarmReplication(AlarmEvaluator alarms) {
        this.alarms = alarms;
    }

    /** A node's alarms as published: when they last changed ({@link AlarmState}), and the active ones. */
    public record NodeAlarms(long changedAt, List<ActiveAlarm> active) {
    }

    /** What a received state means here: events to show (the replica that made them stored them), and this replica's state when newer. */
    public record Update(List<AlarmEvent> events, Publication republish) {
        static final Update NOTHING = new Update(List.of(), null);
    }

    /** The alarms of the event's node now, to be published retained. */
    public Publication state(AlarmEvent event) throws JsonProcessingException {
        return state(event.site(), event.node());
    }

    private Publication state(String site, String node) throws JsonProcessingException {
        return new Publication(TopicContract.activeAlarmsTopic(site, node),
                json.writeValueAsBytes(new NodeAlarms(alarms.changedAt(site, node), alarms.active(site, node))));
    }

    /**
     * A node's alarms from the broker; {@code retained} when handed out at subscription. Taken when newer than this
     * replica's ({@link AlarmEvaluator#adopt}); returns the events that implies here (to be shown), and this
     * replica's own state when the broker's retained one is older (a publication was lost: it is published again).
     * Never throws.
     */
    public Update received(String topic, byte[] payload, boolean retained) {
        TopicContract.NodeAddress address = TopicContract.parseActiveAlarms(topic).orElse(null);
        NodeAlarms theirs = address == null ? null : decode(address, payload);
        if (theirs == null) {
            refused.increment();
            unreadable.warn("Active alarms on " + topic + " are not readable; ignored", refused.sum());
            return Update.NOTHING;
        }
        AlarmEvaluator.Adopted adopted = alarms.adopt(address.site(), address.node(), theirs.active(), theirs.changedAt());
        if (adopted.outcome() == AlarmEvaluator.Adoption.ADOPTED) {
            this.adopted.increment();
            if (retained) {
                LOG.info("Alarms of {}/{} taken from the other replicas: {}", address.site(), address.node(),
                        theirs.active().stream().map(a -> a.channel() + " " + a.level()).toList());
            }
        }
        Publication republish = null;
        if (retained && adopted.outcome() == AlarmEvaluator.Adoption.OURS_NEWER) {
            try {
                republish = state(address.site(), address.node());
            } catch (JsonProcessingException e) {
                LOG.warn("Alarms of {}/{} not encoded: {}", address.site(), address.node(), e.getMessage());
            }
        }
        return adopted.events().isEmpty() && republish == null ? Update.NOTHING : new Update(adopted.events(), republish);
    }

    private NodeAlarms decode(TopicContract.NodeAddress address, byte[] payload) {
        if (payload == null || payload.length == 0 || payload.length > MAX_PAYLOAD_BYTES) {
            return null;
        }
        try {
            NodeAlarms alarms = json.readValue(payload, NodeAlarms.class);
            boolean ofThisNode = alarms != null && alarms.active() != null && alarms.active().stream()
                    .allMatch(a -> a != null && address.site().equals(a.site()) && address.node().equals(a.node())
                            && a.channel() != null && a.level() != null);
            return ofThisNode ? alarms : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Published states that could not be read. */
    public long refused() {
        return refused.sum();
    }

    /** Retained states that changed this replica's alarms. */
    public long adopted() {
        return adopted.sum();
    }
}
