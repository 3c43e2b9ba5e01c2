package io.iiotroutes.sparkplug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.ops.RateLimitedWarning;
import io.iiotroutes.server.LimitExceededException;
import io.iiotroutes.sparkplug.SparkplugIdentities.Device;
import io.iiotroutes.sparkplug.SparkplugIdentities.Edge;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server as a Sparkplug B host application (Sparkplug 3.0): turns what edge nodes publish under
 * {@code spBv1.0/...} into node status changes and {@link NodeMessage}s of our model, which then take the same way
 * as our own nodes' messages (store, completeness, alarms, live page; routes/sparkplug.camel.yaml).
 * <p>
 * It keeps each edge node's and device's birth certificate (aliases, datatypes, units: {@link BirthCertificate}),
 * decodes DATA through it with Tahu's decoder, and follows each edge node's {@code seq} (0–255, wrapping). It does
 * not guess: DATA before a birth, a sequence gap (a lost or reordered message; no reorder timeout) and a metric the
 * birth did not declare are refused with their reason (dead letters) and answered with a rebirth request (NCMD
 * {@code Node Control/Rebirth}, at most one per edge node per {@link Limits#rebirthIntervalMs}); after a gap every
 * message of the edge node is refused until its new NBIRTH. NDEATH (with the bdSeq of the current birth; an older
 * will is ignored) and DDEATH mark the node or device offline.
 * <p>
 * Bounded whatever a node sends ({@link Limits}): payload size, compression and timestamps per message are checked
 * by {@link SparkplugReadings} (payload to our model), identities, devices per edge node and metrics kept by
 * {@link SparkplugIdentities} (which also numbers node messages and counts the lost ones). This class keeps the
 * message-type dispatch, the sequence checks, rebirth requests, STATE and the counters. Not thread-safe by design
 * beyond {@code synchronized}: one subscription feeds it in order; its two parts are called only under its lock.
 */
public class SparkplugHost {

    private static final Logger LOG = LoggerFactory.getLogger(SparkplugHost.class);
    private static final int MAX_STATE_BYTES = 1024;

    /** What the host does on the broker: ask an edge node for a rebirth, say again that it is online. */
    public interface Commands {
        void requestRebirth(String group, String edgeNode);

        void republishState();
    }

    /** Every bound on what nodes may make the host keep or do (settings iiot.sparkplug.*, docs/configuration.md). */
    public record Limits(int maxIdentities, int maxDevicesPerNode, int maxMetricsPerBirth, long maxMetrics,
                         int maxTimestampsPerMessage, int maxPayloadBytes, long rebirthIntervalMs) {
    }

    /** A node (edge node or device) going online or offline, as the status route records it. */
    public record NodeStatus(String site, String node, boolean online, long timestamp) {
        /** The status topic of our contract this change stands for ({@code iiot/v1/{site}/{node}/status}). */
        public String topic() {
            return TopicContract.statusTopic(site, node);
        }

        /** The status payload of our contract this change stands for. */
        public byte[] payload() {
            return ("{\"state\":\"" + (online ? "online" : "offline") + "\",\"ts\":" + timestamp + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /** What one Sparkplug message means: status changes first, then node messages to store. */
    public record Outcome(List<NodeStatus> statuses, List<NodeMessage> messages) {
        static final Outcome NOTHING = new Outcome(List.of(), List.of());

        public Outcome {
            statuses = List.copyOf(statuses);
            messages = List.copyOf(messages);
        }
    }

    private final String hostId;
    private final Limits limits;
    private final Commands commands;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final SparkplugIdentities identities;
    private final SparkplugReadings readings;
    private final AtomicLong rebirthsRequested = new AtomicLong();
    private final AtomicLong staleDeathsIgnored = new AtomicLong();
    private final RateLimitedWarning rebirthFailures = new RateLimitedWarning(LOG, 60_000);
    private final AtomicLong rebirthFailureTotal = new AtomicLong();

    public SparkplugHost(String hostId, Limits limits, Commands commands) {
        this(hostId, limits, commands, Clock.systemUTC());
    }

    SparkplugHost(String hostId, Limits limits, Commands commands, Clock clock) {
        this.hostId = hostId;
        this.limits = limits;
        this.commands = commands;
        this.clock = clock;
        this.identities = new SparkplugIdentities(limits);
        this.readings = new SparkplugReadings(limits, clock, identities);
    }

    /**
     * One message from the subscription: status changes and node messages to store, or nothing (STATE, commands,
     * an NDEATH of an older session). Refused with the reason (a dead letter) when it cannot be taken as it is.
     */
    public synchronized Outcome receive(byte[] payload, String topic) throws InvalidMessageException {
        SparkplugTopics.Address address = SparkplugTopics.parse(topic).orElseThrow(() -> new InvalidMessageException(
                "topic '" + BirthCertificate.shortName(String.valueOf(topic)) + "' is not a Sparkplug B topic"));
        switch (address.type()) {
            case STATE -> {
                state(address.hostId(), payload);
                return Outcome.NOTHING;
            }
            case NCMD, DCMD, NRECORD, DRECORD -> {
                return Outcome.NOTHING;   // commands (our own rebirth requests come back here) and records
            }
            default -> {
            }
        }
        String node = SparkplugIdentities.node(address);
        readings.checkSize(payload);
        return switch (address.type()) {
            case NBIRTH -> nodeBirth(address, node, payload);
            case NDATA -> nodeData(address, node, payload);
            case NDEATH -> nodeDeath(address, payload);
            case DBIRTH -> deviceBirth(address, node, payload);
            case DDATA -> deviceData(address, node, payload);
            case DDEATH -> deviceDeath(address, payload);
            default -> Outcome.NOTHING;
        };
    }

    private Outcome nodeBirth(SparkplugTopics.Address address, String node, byte[] bytes) throws InvalidMessageException {
        String what = "NBIRTH of " + address.group() + "/" + address.edgeNode();
        BirthCertificate.Types types = BirthCertificate.birthTypes();
        SparkplugBPayload payload = readings.decode(bytes, types, what);
        Edge edge = identities.edgeFor(address, node);
        long now = clock.millis();
        // whatever this birth brings, the previous session is over: its devices wait for their DBIRTH
        List<NodeStatus> statuses = identities.endSession(edge, now);
        try {
            long seq = SparkplugReadings.seqOf(payload, what);
            BirthCertificate certificate = readings.certificate(payload, types, what);
            identities.born(edge, certificate, SparkplugReadings.bdSeqOf(payload), seq);
            statuses.add(new NodeStatus(edge.group, node, true, SparkplugReadings.timestampOf(payload, now)));
            return new Outcome(statuses, readings.messages(edge.group, node, certificate, payload, what));
        } catch (InvalidMessageException e) {
            identities.releaseAll(edge);
            edge.refusedBirth = e.getMessage();
            identities.lose(edge.group, node, 1);
            String reason = e.getMessage() + " (its DATA is refused until an NBIRTH is taken)";
            throw e instanceof LimitExceededException limit ? new LimitExceededException(limit.limit(), reason)
                    : new InvalidMessageException(reason, e);
        }
    }

    private Outcome nodeData(SparkplugTopics.Address address, String node, byte[] bytes) throws InvalidMessageException {
        String what = "NDATA of " + address.group() + "/" + address.edgeNode();
        Edge edge = bornEdge(address, node, what);
        SparkplugBPayload payload = readings.decode(bytes, edge.certificate.types(), what);
        inSequence(edge, payload, what, node);
        return new Outcome(List.of(), dataMessages(edge, node, edge.certificate, payload, what));
    }

    private Outcome deviceBirth(SparkplugTopics.Address address, String node, byte[] bytes) throws InvalidMessageException {
        String what = "DBIRTH of " + address.group() + "/" + address.edgeNode() + "/" + address.device();
        Edge edge = bornEdge(address, node, what);
        BirthCertificate.Types types = BirthCertificate.birthTypes();
        SparkplugBPayload payload = readings.decode(bytes, types, what);
        inSequence(edge, payload, what, node);
        Device device = identities.deviceFor(edge, address.device(), node);
        identities.release(device);
        try {
            BirthCertificate certificate = readings.certificate(payload, types, what);
            identities.born(device, certificate);
            long at = SparkplugReadings.timestampOf(payload, clock.millis());
            return new Outcome(List.of(new NodeStatus(edge.group, node, true, at)),
                    readings.messages(edge.group, node, certificate, payload, what));
        } catch (InvalidMessageException e) {
            identities.release(device);
            identities.lose(edge.group, node, 1);
            throw e;
        }
    }

    private Outcome deviceData(SparkplugTopics.Address address, String node, byte[] bytes) throws InvalidMessageException {
        String what = "DDATA of " + address.group() + "/" + address.edgeNode() + "/" + address.device();
        Edge edge = bornEdge(address, node, what);
        Device device = edge.devices.get(address.device());
        boolean born = device != null && device.born;
        MetricDataTypeMap types = born ? device.certificate.types() : BirthCertificate.birthTypes();
        SparkplugBPayload payload = readings.decode(bytes, types, what);
        inSequence(edge, payload, what, node);
        if (!born) {
            rebirth(edge);
            identities.loseIfOwned(edge.group, node);
            throw new InvalidMessageException(what + " before its DBIRTH (no birth certificate): rebirth requested");
        }
        return new Outcome(List.of(), dataMessages(edge, node, device.certificate, payload, what));
    }

    private Outcome nodeDeath(SparkplugTopics.Address address, byte[] bytes) throws InvalidMessageException {
        String what = "NDEATH of " + address.group() + "/" + address.edgeNode();
        SparkplugBPayload payload = readings.decode(bytes, BirthCertificate.birthTypes(), what);
        Edge edge = identities.edge(address.group(), address.edgeNode());
        if (edge == null || !edge.born) {
            return Outcome.NOTHING;   // not online here: nothing to end
        }
        Long bdSeq = SparkplugReadings.bdSeqOf(payload);
        if (edge.bdSeq != null && bdSeq != null && !edge.bdSeq.equals(bdSeq)) {
            // the will of an earlier connection, delivered after the node was born again (Sparkplug 3.0)
            staleDeathsIgnored.incrementAndGet();
            LOG.debug("{} with bdSeq {} ignored: the current birth has bdSeq {}", what, bdSeq, edge.bdSeq);
            return Outcome.NOTHING;
        }
        long now = clock.millis();
        List<NodeStatus> statuses = new ArrayList<>();
        statuses.add(new NodeStatus(edge.group, edge.node, false, now));
        statuses.addAll(identities.endSession(edge, now));
        edge.stale = null;
        return new Outcome(statuses, List.of());
    }

    private Outcome deviceDeath(SparkplugTopics.Address address, byte[] bytes) throws InvalidMessageException {
        String what = "DDEATH of " + address.group() + "/" + address.edgeNode() + "/" + address.device();
        Edge edge = identities.edge(address.group(), address.edgeNode());
        if (edge == null || !edge.born) {
            return Outcome.NOTHING;
        }
        SparkplugBPayload payload = readings.decode(bytes, BirthCertificate.birthTypes(), what);
        inSequence(edge, payload, what, null);
        Device device = edge.devices.get(address.device());
        if (device == null || !device.born) {
            return Outcome.NOTHING;
        }
        identities.release(device);
        return new Outcome(List.of(new NodeStatus(edge.group, device.node, false, clock.millis())), List.of());
    }

    /** The edge node's session, born; else the message is refused (and a rebirth asked for, unless its birth was refused). */
    private Edge bornEdge(SparkplugTopics.Address address, String node, String what) throws InvalidMessageException {
        Edge edge = identities.edge(address.group(), address.edgeNode());
        if (edge != null && edge.born) {
            return edge;
        }
        if (edge == null) {
            edge = identities.edgeFor(address, SparkplugNames.node(address.edgeNode(), null));
        }
        identities.loseIfOwned(edge.group, node);
        if (edge.refusedBirth != null) {
            throw new InvalidMessageException(what + " refused: the last NBIRTH of " + edge.key() + " was refused ("
                    + edge.refusedBirth + ")");
        }
        rebirth(edge);
        throw new InvalidMessageException(what + " before its edge node's NBIRTH (no birth certificate): rebirth requested");
    }

    /** Checks and advances the edge node's seq; a gap makes it stale until its next NBIRTH. */
    private void inSequence(Edge edge, SparkplugBPayload payload, String what, String node) throws InvalidMessageException {
        if (edge.stale != null) {
            rebirth(edge);
            identities.loseIfOwned(edge.group, node);
            throw new InvalidMessageException(what + " refused: " + edge.key() + " is out of step (" + edge.stale
                    + ") until its new NBIRTH; rebirth requested");
        }
        long seq = SparkplugReadings.seqOf(payload, what);
        if (seq != edge.expectedSeq) {
            int lost = (int) ((seq - edge.expectedSeq + 256) % 256);
            edge.stale = "seq " + seq + " where " + edge.expectedSeq + " was due";
            identities.lose(edge.group, edge.node, lost);
            identities.loseIfOwned(edge.group, node);
            rebirth(edge);
            throw new InvalidMessageException(what + ": seq " + seq + " where " + edge.expectedSeq + " was due ("
                    + lost + " message(s) lost or out of order); rebirth requested");
        }
        edge.expectedSeq = (int) ((seq + 1) % 256);
    }

    /** The node messages of a DATA message; a metric its birth did not declare is answered with a rebirth request. */
    private List<NodeMessage> dataMessages(Edge edge, String node, BirthCertificate certificate,
                                           SparkplugBPayload payload, String what) throws InvalidMessageException {
        try {
            return readings.messages(edge.group, node, certificate, payload, what);
        } catch (SparkplugReadings.UnknownMetricException e) {
            rebirth(edge);
            identities.lose(edge.group, node, 1);
            throw new InvalidMessageException(e.getMessage() + "; rebirth requested", e);
        }
    }

    private void rebirth(Edge edge) {
        long now = clock.millis();
        if (edge.rebirthRequested && now - edge.lastRebirthRequest < limits.rebirthIntervalMs()) {
            return;
        }
        edge.rebirthRequested = true;
        edge.lastRebirthRequest = now;
        rebirthsRequested.incrementAndGet();
        try {
            commands.requestRebirth(edge.group, edge.id);
        } catch (RuntimeException e) {
            rebirthFailures.warn("rebirth request to " + edge.key() + " not published: " + e.getMessage(),
                    rebirthFailureTotal.incrementAndGet());
        }
    }

    /** A STATE message: ours saying offline (a will of an earlier connection) is answered by our birth again. */
    private void state(String host, byte[] payload) {
        if (!hostId.equals(host) || payload == null || payload.length > MAX_STATE_BYTES) {
            return;
        }
        try {
            JsonNode state = json.readTree(payload);
            if (state != null && state.path("online").isBoolean() && !state.path("online").asBoolean()) {
                LOG.info("STATE of this host ({}) says offline (an earlier connection's will): publishing its birth again",
                        hostId);
                commands.republishState();
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("STATE of {} not understood: {}", host, e.toString());
        }
    }

    /** What a dead letter keeps of a Sparkplug payload (binary): its size and its first bytes as base64. */
    public String describe(byte[] payload) {
        return SparkplugReadings.describe(payload);
    }

    /** Rebirth requests published so far. */
    public long rebirthsRequested() {
        return rebirthsRequested.get();
    }

    /** NDEATHs ignored because their bdSeq was not that of the current birth. */
    public long staleDeathsIgnored() {
        return staleDeathsIgnored.get();
    }

    /** Metrics held in the births kept (counted against iiot.sparkplug.max-metrics). */
    public synchronized long metricsKept() {
        return identities.metricsKept();
    }

    /** Edge nodes and devices known (counted against iiot.sparkplug.max-identities). */
    public synchronized int identities() {
        return identities.count();
    }

    /** Whether an edge node is born here now (its NBIRTH taken, no NDEATH since). */
    public synchronized boolean isOnline(String group, String edgeNode) {
        Edge edge = identities.edge(group, edgeNode);
        return edge != null && edge.born;
    }
}
