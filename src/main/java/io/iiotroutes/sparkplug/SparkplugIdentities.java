package io.iiotroutes.sparkplug;

import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.server.LimitExceededException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bookkeeping of a {@link SparkplugHost}: the Sparkplug identities it knows and what it keeps of them, within its
 * {@link SparkplugHost.Limits} — each edge node's session ({@link Edge}) and devices ({@link Device}), which Sparkplug
 * identity each of our node ids stands for (at most {@link SparkplugHost.Limits#maxIdentities}, {@link
 * SparkplugHost.Limits#maxDevicesPerNode} devices per edge node), the metrics held in the births kept (against
 * {@link SparkplugHost.Limits#maxMetrics}), and the sequence numbers of our model.
 * <p>
 * Sequence numbers of our model: each node (edge node or device) gets its own count, +1 per node message made; a
 * refused message counts one, and a gap in an edge node's {@code seq} counts the lost messages on the edge node, so
 * completeness shows them.
 * <p>
 * Not thread-safe: only the {@link SparkplugHost} that owns it calls it, under that host's lock.
 */
final class SparkplugIdentities {

    /** An edge node and its session as the host follows it: birth, bdSeq, seq, rebirth requests, devices. */
    static final class Edge {
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

    /** A device of an edge node, born or not. */
    static final class Device {
        final String id;
        final String node;
        boolean born;
        BirthCertificate certificate;

        Device(String id, String node) {
            this.id = id;
            this.node = node;
        }
    }

    private final SparkplugHost.Limits limits;
    private final Map<String, Edge> edges = new HashMap<>();
    /** Our "site/node" → the Sparkplug identity ("group/edge" or "group/edge/device") it stands for. */
    private final Map<String, String> owners = new HashMap<>();
    /** Our "site/node" → the next sequence number of our model. */
    private final Map<String, Long> nextSeq = new HashMap<>();
    private long metricsKept;

    SparkplugIdentities(SparkplugHost.Limits limits) {
        this.limits = limits;
    }

    /** Our node id for the edge node or device of a message; refused when its ids cannot be a site or node id. */
    static String node(SparkplugTopics.Address address) throws InvalidMessageException {
        check("group id", address.group());
        check("edge node id", address.edgeNode());
        if (address.isDevice()) {
            check("device id", address.device());
        }
        String node = SparkplugNames.node(address.edgeNode(), address.device());
        if (!TopicContract.isValidId(node)) {
            throw new InvalidMessageException("node id '" + node + "' of Sparkplug device " + address.edgeNode() + "/"
                    + address.device() + " is longer than " + TopicContract.ID_PATTERN + " allows");
        }
        return node;
    }

    private static void check(String what, String id) throws InvalidMessageException {
        if (!TopicContract.isValidId(id)) {
            throw new InvalidMessageException("Sparkplug " + what + " '" + BirthCertificate.shortName(id)
                    + "' must match " + TopicContract.ID_PATTERN + " to be a site or node id");
        }
    }

    /** The edge node known as {@code group/edgeNode}, or null. */
    Edge edge(String group, String edgeNode) {
        return edges.get(group + "/" + edgeNode);
    }

    /** The edge node of a message, known from now on (its node id claimed, within the limit). */
    Edge edgeFor(SparkplugTopics.Address address, String node) throws InvalidMessageException {
        String key = address.group() + "/" + address.edgeNode();
        Edge edge = edges.get(key);
        if (edge == null) {
            claim(address.group(), node, key);
            edge = new Edge(address.group(), address.edgeNode(), node);
            edges.put(key, edge);
        }
        return edge;
    }

    /** A device of an edge node, known from now on (its node id claimed, within the limits). */
    Device deviceFor(Edge edge, String id, String node) throws InvalidMessageException {
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

    /** Keeps an edge node's new birth: its certificate (counted), its bdSeq, the seq its next message must have. */
    void born(Edge edge, BirthCertificate certificate, Long bdSeq, long seq) {
        edge.certificate = certificate;
        metricsKept += certificate.size();
        edge.born = true;
        edge.stale = null;
        edge.refusedBirth = null;
        edge.rebirthRequested = false;
        edge.bdSeq = bdSeq;
        edge.expectedSeq = (int) ((seq + 1) % 256);
    }

    /** Keeps a device's new birth certificate (counted). */
    void born(Device device, BirthCertificate certificate) {
        device.certificate = certificate;
        metricsKept += certificate.size();
        device.born = true;
    }

    /** Ends an edge node's session: its births are forgotten; the statuses of its devices that were born, offline. */
    List<SparkplugHost.NodeStatus> endSession(Edge edge, long now) {
        List<SparkplugHost.NodeStatus> statuses = new ArrayList<>();
        for (Device device : edge.devices.values()) {
            if (device.born) {
                statuses.add(new SparkplugHost.NodeStatus(edge.group, device.node, false, now));
            }
        }
        releaseAll(edge);
        return statuses;
    }

    /** Forgets the births of an edge node and its devices (identities stay known). */
    void releaseAll(Edge edge) {
        for (Device device : edge.devices.values()) {
            release(device);
        }
        if (edge.certificate != null) {
            metricsKept -= edge.certificate.size();
            edge.certificate = null;
        }
        edge.born = false;
    }

    /** Forgets a device's birth (its identity stays known). */
    void release(Device device) {
        if (device.certificate != null) {
            metricsKept -= device.certificate.size();
            device.certificate = null;
        }
        device.born = false;
    }

    /** The first of {@code count} sequence numbers of our model for a node. */
    long take(String site, String node, int count) {
        String key = site + "/" + node;
        long first = nextSeq.getOrDefault(key, 0L);
        nextSeq.put(key, first + count);
        return first;
    }

    /** Counts {@code count} messages lost or refused on a node. */
    void lose(String site, String node, int count) {
        take(site, node, count);
    }

    /** Counts a refused message on its node when that node is one this host knows (never a new entry). */
    void loseIfOwned(String site, String node) {
        if (node != null && owners.containsKey(site + "/" + node)) {
            lose(site, node, 1);
        }
    }

    /** Metrics held in the births kept. */
    long metricsKept() {
        return metricsKept;
    }

    /** Edge nodes and devices known. */
    int count() {
        return owners.size();
    }
}
