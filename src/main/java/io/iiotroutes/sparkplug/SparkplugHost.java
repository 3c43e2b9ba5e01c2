package io.iiotroutes.sparkplug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.ops.RateLimitedWarning;
import io.iiotroutes.server.LimitExceededException;
import io.iiotroutes.server.SafeText;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Bounded whatever a node sends: payloads up to {@link Limits#maxPayloadBytes} (checked before decoding);
 * at most {@link Limits#maxIdentities} edge nodes and devices known, {@link Limits#maxDevicesPerNode} devices per
 * edge node, {@link Limits#maxMetricsPerBirth} metrics per birth and {@link Limits#maxMetrics} in all the births
 * kept; one message becomes at most {@link Limits#maxTimestampsPerMessage} node messages (one per metric timestamp).
 * Compressed payloads are refused (no inflating).
 * <p>
 * Sequence numbers of our model: each node (edge node or device) gets its own count, +1 per node message made; a
 * refused message counts one, and a gap in an edge node's {@code seq} counts the lost messages on the edge node, so
 * completeness shows them. Not thread-safe by design beyond {@code synchronized}: one subscription feeds it in order.
 */
public class SparkplugHost {

    private static final Logger LOG = LoggerFactory.getLogger(SparkplugHost.class);
    /** Tahu's marker for a compressed payload, which we do not inflate. */
    static final String COMPRESSED_UUID = "SPBV1.0_COMPRESSED";
    /** How much of a refused payload a dead letter keeps (as base64). */
    static final int DESCRIBED_BYTES = 3000;
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

    /** A DATA or birth message naming a metric its birth did not declare. */
    private static final class UnknownMetricException extends InvalidMessageException {
        UnknownMetricException(String reason) {
            super(reason);
        }
    }

    private static final class Edge {
        final String group;
        final String id;
        final String node;
        final Map<String, Device> devices = new HashMap<>();
        boolean born;
        BirthCertificate certificate;
        Long bdSeq;
        int expectedSeq;
        /** Out of step since a gap: every message refused until the next NBIRTH. */
        String stale;
        /** The last NBIRTH was refused, for this reason: no rebirth is asked for (it would be refused again). */
        String refusedBirth;
        long lastRebirthRequest;
        boolean rebirthRequested;

        Edge(String group, String id, String node) {
            this.group = group;
            this.id = id;
            this.node = node;
        }

        String key() {
            return group + "/" + id;
        }
    }

    private static final class Device {
        final String id;
        final String node;
        boolean born;
        BirthCertificate certificate;

        Device(String id, String node) {
            this.id = id;
            this.node = node;
        }
    }

    private record Group(long timestamp, boolean historical) {
    }

    private final String hostId;
    private final Limits limits;
    private final Commands commands;
    private final Clock clock;
    private final SparkplugBPayloadDecoder decoder = new SparkplugBPayloadDecoder();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Edge> edges = new HashMap<>();
    /** Our "site/node" → the Sparkplug identity ("group/edge" or "group/edge/device") it stands for. */
    private final Map<String, String> owners = new HashMap<>();
    /** Our "site/node" → the next sequence number of our model. */
    private final Map<String, Long> nextSeq = new HashMap<>();
    private long metricsKept;
    private final AtomicLong rebirthsRequested = new AtomicLong();
    private final AtomicLong staleDeathsIgnored = new AtomicLong();
    private final RateLimitedWarning skippedMetrics = new RateLimitedWarning(LOG, 60_000);
    private final RateLimitedWarning rebirthFailures = new RateLimitedWarning(LOG, 60_000);
    private final AtomicLong skippedTotal = new AtomicLong();
    private final AtomicLong rebirthFailureTotal = new AtomicLong();

    public SparkplugHost(String hostId, Limits limits, Commands commands) {
        this(hostId, limits, commands, Clock.systemUTC());
    }

    SparkplugHost(String hostId, Limits limits, Commands commands, Clock clock) {
        this.hostId = hostId;
        this.limits = limits;
        this.commands = commands;
        this.clock = clock;
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
        checkIds(address);
        String node = SparkplugNames.node(address.edgeNode(), address.device());
        if (!TopicContract.isValidId(node)) {
            throw new InvalidMessageException("node id '" + node + "' of Sparkplug device " + address.edgeNode() + "/"
                    + address.device() + " is longer than " + TopicContract.ID_PATTERN + " allows");
        }
        if (payload == null || payload.length == 0) {
            throw new InvalidMessageException("empty payload");
        }
        if (payload.length > limits.maxPayloadBytes()) {
            throw new InvalidMessageException("payload of " + payload.length + " bytes is over the limit of "
                    + limits.maxPayloadBytes());
        }
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

    private static void checkIds(SparkplugTopics.Address address) throws InvalidMessageException {
        check("group id", address.group());
        check("edge node id", address.edgeNode());
        if (address.isDevice()) {
            check("device id", address.device());
        }
    }

    private static void check(String what, String id) throws InvalidMessageException {
        if (!TopicContract.isValidId(id)) {
            throw new InvalidMessageException("Sparkplug " + what + " '" + BirthCertificate.shortName(id)
                    + "' must match " + TopicContract.ID_PATTERN + " to be a site or node id");
        }
    }

    private Outcome nodeBirth(SparkplugTopics.Address address, String node, byte[] bytes) throws InvalidMessageException {
        String what = "NBIRTH of " + address.group() + "/" + address.edgeNode();
        BirthCertificate.Types types = BirthCertificate.birthTypes();
        SparkplugBPayload payload = decode(bytes, types, what);
        Edge edge = edgeFor(address, node);
        List<NodeStatus> statuses = new ArrayList<>();
        long now = clock.millis();
        // whatever this birth brings, the previous session is over: its devices wait for their DBIRTH
        for (Device device : edge.devices.values()) {
            if (device.born) {
                statuses.add(new NodeStatus(edge.group, device.node, false, now));
            }
        }
        releaseAll(edge);
        try {
            long seq = seqOf(payload, what);
            BirthCertificate certificate = certificate(payload, types, what);
            edge.certificate = certificate;
            metricsKept += certificate.size();
            edge.born = true;
            edge.stale = null;
            edge.refusedBirth = null;
            edge.rebirthRequested = false;
            edge.bdSeq = bdSeqOf(payload);
            edge.expectedSeq = (int) ((seq + 1) % 256);
            logSkipped(what, certificate);
            statuses.add(new NodeStatus(edge.group, node, true, timestampOf(payload, now)));
            return new Outcome(statuses, messages(edge.group, node, certificate, payload, what));
        } catch (InvalidMessageException e) {
            releaseAll(edge);
            edge.refusedBirth = e.getMessage();
            lose(edge.group, node, 1);
            String reason = e.getMessage() + " (its DATA is refused until an NBIRTH is taken)";
            throw e instanceof LimitExceededException limit ? new LimitExceededException(limit.limit(), reason)
                    : new InvalidMessageException(reason, e);
        }
    }

    private Outcome nodeData(SparkplugTopics.Address address, String node, byte[] bytes) throws InvalidMessageException {
        String what = "NDATA of " + address.group() + "/" + address.edgeNode();
        Edge edge = bornEdge(address, node, what);
        SparkplugBPayload payload = decode(bytes, edge.certificate.types(), what);
        inSequence(edge, payload, what, node);
        return new Outcome(List.of(), dataMessages(edge, node, edge.certificate, payload, what));
    }

    private Outcome deviceBirth(SparkplugTopics.Address address, String node, byte[] bytes) throws InvalidMessageException {
        String what = "DBIRTH of " + address.group() + "/" + address.edgeNode() + "/" + address.device();
        Edge edge = bornEdge(address, node, what);
        BirthCertificate.Types types = BirthCertificate.birthTypes();
        SparkplugBPayload payload = decode(bytes, types, what);
        inSequence(edge, payload, what, node);
        Device device = deviceFor(edge, address.device(), node);
        release(device);
        try {
            BirthCertificate certificate = certificate(payload, types, what);
            device.certificate = certificate;
            metricsKept += certificate.size();
            device.born = true;
            logSkipped(what, certificate);
            return new Outcome(List.of(new NodeStatus(edge.group, node, true, timestampOf(payload, clock.millis()))),
                    messages(edge.group, node, certificate, payload, what));
        } catch (InvalidMessageException e) {
            release(device);
            lose(edge.group, node, 1);
            throw e;
        }
    }

    private Outcome deviceData(SparkplugTopics.Address address, String node, byte[] bytes) throws InvalidMessageException {
        String what = "DDATA of " + address.group() + "/" + address.edgeNode() + "/" + address.device();
        Edge edge = bornEdge(address, node, what);
        Device device = edge.devices.get(address.device());
        boolean born = device != null && device.born;
        SparkplugBPayload payload = decode(bytes, born ? device.certificate.types() : BirthCertificate.birthTypes(), what);
        inSequence(edge, payload, what, node);
        if (!born) {
            rebirth(edge);
            loseIfOwned(edge.group, node);
            throw new InvalidMessageException(what + " before its DBIRTH (no birth certificate): rebirth requested");
        }
        return new Outcome(List.of(), dataMessages(edge, node, device.certificate, payload, what));
    }

    private Outcome nodeDeath(SparkplugTopics.Address address, byte[] bytes) throws InvalidMessageException {
        String what = "NDEATH of " + address.group() + "/" + address.edgeNode();
        SparkplugBPayload payload = decode(bytes, BirthCertificate.birthTypes(), what);
        Edge edge = edges.get(address.group() + "/" + address.edgeNode());
        if (edge == null || !edge.born) {
            return Outcome.NOTHING;   // not online here: nothing to end
        }
        Long bdSeq = bdSeqOf(payload);
        if (edge.bdSeq != null && bdSeq != null && !edge.bdSeq.equals(bdSeq)) {
            // the will of an earlier connection, delivered after the node was born again (Sparkplug 3.0)
            staleDeathsIgnored.incrementAndGet();
            LOG.debug("{} with bdSeq {} ignored: the current birth has bdSeq {}", what, bdSeq, edge.bdSeq);
            return Outcome.NOTHING;
        }
        long now = clock.millis();
        List<NodeStatus> statuses = new ArrayList<>();
        statuses.add(new NodeStatus(edge.group, edge.node, false, now));
        for (Device device : edge.devices.values()) {
            if (device.born) {
                statuses.add(new NodeStatus(edge.group, device.node, false, now));
            }
        }
        releaseAll(edge);
        edge.stale = null;
        return new Outcome(statuses, List.of());
    }

    private Outcome deviceDeath(SparkplugTopics.Address address, byte[] bytes) throws InvalidMessageException {
        String what = "DDEATH of " + address.group() + "/" + address.edgeNode() + "/" + address.device();
        Edge edge = edges.get(address.group() + "/" + address.edgeNode());
        if (edge == null || !edge.born) {
            return Outcome.NOTHING;
        }
        SparkplugBPayload payload = decode(bytes, BirthCertificate.birthTypes(), what);
        inSequence(edge, payload, what, null);
        Device device = edge.devices.get(address.device());
        if (device == null || !device.born) {
            return Outcome.NOTHING;
        }
        release(device);
        return new Outcome(List.of(new NodeStatus(edge.group, device.node, false, clock.millis())), List.of());
    }

    /** The edge node's session, born; else the message is refused (and a rebirth asked for, unless its birth was refused). */
    private Edge bornEdge(SparkplugTopics.Address address, String node, String what) throws InvalidMessageException {
        Edge edge = edges.get(address.group() + "/" + address.edgeNode());
        if (edge != null && edge.born) {
            return edge;
        }
        if (edge == null) {
            edge = edgeFor(address, SparkplugNames.node(address.edgeNode(), null));
        }
        loseIfOwned(edge.group, node);
        if (edge.refusedBirth != null) {
            throw new InvalidMessageException(what + " refused: the last NBIRTH of " + edge.key() + " was refused ("
                    + edge.refusedBirth + ")");
        }
        rebirth(edge);
        throw new InvalidMessageException(what + " before its edge node's NBIRTH (no birth certificate): rebirth requested");
    }

    /** Checks and advances the edge node's seq; a gap makes it stale until its next NBIRTH. */
    private void inSequence(Edge edge, SparkplugBPayload payload, String what, String node) throws InvalidMessageException {
        Long seq = payload.getSeq();
        if (edge.stale != null) {
            rebirth(edge);
            loseIfOwned(edge.group, node);
            throw new InvalidMessageException(what + " refused: " + edge.key() + " is out of step (" + edge.stale
                    + ") until its new NBIRTH; rebirth requested");
        }
        if (seq == null || seq < 0 || seq > 255) {
            throw new InvalidMessageException(what + ": seq " + (seq == null ? "missing" : seq + " outside 0..255"));
        }
        if (seq != edge.expectedSeq) {
            int lost = (int) ((seq - edge.expectedSeq + 256) % 256);
            edge.stale = "seq " + seq + " where " + edge.expectedSeq + " was due";
            lose(edge.group, edge.node, lost);
            loseIfOwned(edge.group, node);
            rebirth(edge);
            throw new InvalidMessageException(what + ": seq " + seq + " where " + edge.expectedSeq + " was due ("
                    + lost + " message(s) lost or out of order); rebirth requested");
        }
        edge.expectedSeq = (int) ((seq + 1) % 256);
    }

    private List<NodeMessage> dataMessages(Edge edge, String node, BirthCertificate certificate,
                                           SparkplugBPayload payload, String what) throws InvalidMessageException {
        try {
            return messages(edge.group, node, certificate, payload, what);
        } catch (UnknownMetricException e) {
            rebirth(edge);
            lose(edge.group, node, 1);
            throw new InvalidMessageException(e.getMessage() + "; rebirth requested", e);
        }
    }

    /**
     * The node messages of a birth's or DATA message's metrics: one per metric timestamp (and historical flag), each
     * channel once (the last value of a channel at one timestamp wins, as in the TSDB). Metrics that are not stored
     * are left out; a metric the birth did not declare refuses the whole message.
     */
    private List<NodeMessage> messages(String site, String node, BirthCertificate certificate,
                                       SparkplugBPayload payload, String what) throws InvalidMessageException {
        long messageTime = timestampOf(payload, clock.millis());
        Map<Group, Map<String, Reading>> groups = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Metric metric : payload.getMetrics()) {
            if (metric == null) {
                throw new InvalidMessageException(what + ": a metric could not be decoded");
            }
            BirthCertificate.Definition definition;
            if (metric.hasAlias()) {
                definition = certificate.alias(metric.getAlias());
            } else if (metric.hasName()) {
                definition = certificate.named(metric.getName());
            } else {
                throw new InvalidMessageException(what + ": a metric with neither name nor alias");
            }
            if (definition == null) {
                if (unknown.size() < 5) {
                    unknown.add(metric.hasAlias() ? "alias " + metric.getAlias()
                            : "metric '" + BirthCertificate.shortName(metric.getName()) + "'");
                }
                continue;
            }
            if (!definition.stored()) {
                continue;
            }
            Reading reading = SparkplugValues.reading(definition.channel(), definition.unit(), metric);
            if (reading == null) {
                continue;
            }
            Date at = metric.getTimestamp();
            Group group = new Group(at == null ? messageTime : at.getTime(), Boolean.TRUE.equals(metric.getIsHistorical()));
            groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(definition.channel(), reading);
            if (groups.size() > limits.maxTimestampsPerMessage()) {
                throw new InvalidMessageException(what + ": more than " + limits.maxTimestampsPerMessage()
                        + " metric timestamps in one message (iiot.sparkplug.max-timestamps-per-message)");
            }
        }
        if (!unknown.isEmpty()) {
            throw new UnknownMetricException(what + ": " + String.join(", ", unknown) + " not in its birth certificate");
        }
        long seq = take(site, node, groups.size());
        List<NodeMessage> messages = new ArrayList<>(groups.size());
        for (Map.Entry<Group, Map<String, Reading>> entry : groups.entrySet()) {
            messages.add(new NodeMessage(NodeMessage.SCHEMA_VERSION, site, node, seq++, entry.getKey().timestamp(),
                    entry.getKey().historical(), new ArrayList<>(entry.getValue().values())));
        }
        return messages;
    }

    private BirthCertificate certificate(SparkplugBPayload payload, BirthCertificate.Types types, String what)
            throws InvalidMessageException {
        if (types.missing()) {
            throw new InvalidMessageException(what + ": a metric has no datatype (a birth gives every metric's datatype)");
        }
        int count = payload.getMetrics().size();
        if (count > limits.maxMetricsPerBirth()) {
            throw new LimitExceededException("sparkplug-metrics-per-birth", what + " has " + count
                    + " metrics, over iiot.sparkplug.max-metrics-per-birth (" + limits.maxMetricsPerBirth() + ")");
        }
        if (metricsKept + count > limits.maxMetrics()) {
            throw new LimitExceededException("sparkplug-metrics", what + ": its " + count + " metrics would take the births"
                    + " kept over iiot.sparkplug.max-metrics (" + limits.maxMetrics() + ", " + metricsKept + " kept)");
        }
        return BirthCertificate.of(payload.getMetrics(), what);
    }

    private void logSkipped(String what, BirthCertificate certificate) {
        if (certificate.skippedCount() > 0) {
            long total = skippedTotal.addAndGet(certificate.skippedCount());
            skippedMetrics.warn(what + ": " + certificate.skippedCount() + " metric(s) not stored for their name, e.g. "
                    + String.join("; ", certificate.skipped()), total);
        }
    }

    private SparkplugBPayload decode(byte[] bytes, MetricDataTypeMap types, String what) throws InvalidMessageException {
        SparkplugBPayload payload;
        try {
            payload = decoder.buildFromByteArray(bytes, types);
        } catch (Exception | StackOverflowError e) {
            throw new InvalidMessageException(what + " is not a Sparkplug B payload (" + e.getClass().getSimpleName()
                    + ": " + BirthCertificate.shortName(String.valueOf(e.getMessage())) + ")");
        }
        if (COMPRESSED_UUID.equals(payload.getUuid())) {
            throw new InvalidMessageException(what + " is compressed (" + COMPRESSED_UUID + "): not accepted");
        }
        if (payload.getMetrics() == null) {
            payload.setMetrics(new ArrayList<>());
        }
        return payload;
    }

    private static long seqOf(SparkplugBPayload payload, String what) throws InvalidMessageException {
        Long seq = payload.getSeq();
        if (seq == null || seq < 0 || seq > 255) {
            throw new InvalidMessageException(what + ": seq " + (seq == null ? "missing" : seq + " outside 0..255"));
        }
        return seq;
    }

    private static Long bdSeqOf(SparkplugBPayload payload) {
        for (Metric metric : payload.getMetrics()) {
            if (metric != null && SparkplugNames.BD_SEQ.equals(metric.getName()) && metric.getValue() instanceof Number n) {
                return n.longValue();
            }
        }
        return null;
    }

    private static long timestampOf(SparkplugBPayload payload, long otherwise) {
        return payload.getTimestamp() == null ? otherwise : payload.getTimestamp().getTime();
    }

    private Edge edgeFor(SparkplugTopics.Address address, String node) throws InvalidMessageException {
        String key = address.group() + "/" + address.edgeNode();
        Edge edge = edges.get(key);
        if (edge == null) {
            claim(address.group(), node, key);
            edge = new Edge(address.group(), address.edgeNode(), node);
            edges.put(key, edge);
        }
        return edge;
    }

    private Device deviceFor(Edge edge, String id, String node) throws InvalidMessageException {
        Device device = edge.devices.get(id);
        if (device == null) {
            if (edge.devices.size() >= limits.maxDevicesPerNode()) {
                throw new LimitExceededException("sparkplug-devices-per-node", "edge node " + edge.key() + " has "
                        + edge.devices.size() + " devices, the limit iiot.sparkplug.max-devices-per-node; device "
                        + id + " would be one more");
            }
            claim(edge.group, node, edge.key() + "/" + id);
            device = new Device(id, node);
            edge.devices.put(id, device);
        }
        return device;
    }

    /** Takes our node id for a Sparkplug identity, within the limit; refused when another identity has it. */
    private void claim(String site, String node, String identity) throws InvalidMessageException {
        String ours = site + "/" + node;
        String owner = owners.get(ours);
        if (owner != null) {
            if (!owner.equals(identity)) {
                throw new InvalidMessageException("node id " + ours + " of Sparkplug " + identity
                        + " is already that of Sparkplug " + owner);
            }
            return;
        }
        if (owners.size() >= limits.maxIdentities()) {
            throw new LimitExceededException("sparkplug-identities", "the host knows " + owners.size()
                    + " Sparkplug edge nodes and devices, the limit iiot.sparkplug.max-identities; " + identity
                    + " would be one more");
        }
        owners.put(ours, identity);
    }

    private void releaseAll(Edge edge) {
        for (Device device : edge.devices.values()) {
            release(device);
        }
        if (edge.certificate != null) {
            metricsKept -= edge.certificate.size();
            edge.certificate = null;
        }
        edge.born = false;
    }

    private void release(Device device) {
        if (device.certificate != null) {
            metricsKept -= device.certificate.size();
            device.certificate = null;
        }
        device.born = false;
    }

    /** The first of {@code count} sequence numbers of our model for a node. */
    private long take(String site, String node, int count) {
        String key = site + "/" + node;
        long first = nextSeq.getOrDefault(key, 0L);
        nextSeq.put(key, first + count);
        return first;
    }

    private void lose(String site, String node, int count) {
        take(site, node, count);
    }

    /** Counts a refused message on its node when that node is one this host knows (never a new entry). */
    private void loseIfOwned(String site, String node) {
        if (node != null && owners.containsKey(site + "/" + node)) {
            lose(site, node, 1);
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
        if (payload == null) {
            return "";
        }
        byte[] kept = payload.length <= DESCRIBED_BYTES ? payload : Arrays.copyOf(payload, DESCRIBED_BYTES);
        return "Sparkplug B payload, " + payload.length + " bytes, base64: " + Base64.getEncoder().encodeToString(kept)
                + (payload.length > DESCRIBED_BYTES ? "…" : "");
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
        return metricsKept;
    }

    /** Edge nodes and devices known (counted against iiot.sparkplug.max-identities). */
    public synchronized int identities() {
        return owners.size();
    }

    /** Whether an edge node is born here now (its NBIRTH taken, no NDEATH since). */
    public synchronized boolean isOnline(String group, String edgeNode) {
        Edge edge = edges.get(group + "/" + edgeNode);
        return edge != null && edge.born;
    }
}
