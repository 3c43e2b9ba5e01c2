package io.iiotroutes.sparkplug;

import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.ops.RateLimitedWarning;
import io.iiotroutes.server.LimitExceededException;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sparkplug B payloads read into our model for a {@link SparkplugHost}: the size bound (checked before decoding),
 * decoding with Tahu's decoder (compressed payloads refused, no inflating), a payload's {@code seq}, {@code bdSeq} and
 * timestamp, birth certificates within the metric limits, and the node messages of a birth's or DATA message's
 * metrics (at most {@link SparkplugHost.Limits#maxTimestampsPerMessage}), numbered with the sequence numbers of our
 * model that {@link SparkplugIdentities} keeps.
 * <p>
 * Not thread-safe: only the {@link SparkplugHost} that owns it calls it, under that host's lock.
 */
final class SparkplugReadings {

    /** The host's logger: what is logged here is the host's. */
    private static final Logger LOG = LoggerFactory.getLogger(SparkplugHost.class);

    /** Tahu's marker for a compressed payload, which we do not inflate. */
    static final String COMPRESSED_UUID = "SPBV1.0_COMPRESSED";
    /** How much of a refused payload a dead letter keeps (as base64). */
    static final int DESCRIBED_BYTES = 3000;

    /** A DATA or birth message naming a metric its birth did not declare. */
    static final class UnknownMetricException extends InvalidMessageException {
        UnknownMetricException(String reason) {
            super(reason);
        }
    }

    /** The node message a metric goes into: one per metric timestamp and historical flag. */
    private record Group(long timestamp, boolean historical) {
    }

    private final SparkplugHost.Limits limits;
    private final Clock clock;
    private final SparkplugIdentities identities;
    private final SparkplugBPayloadDecoder decoder = new SparkplugBPayloadDecoder();
    private final RateLimitedWarning skippedMetrics = new RateLimitedWarning(LOG, 60_000);
    private final AtomicLong skippedTotal = new AtomicLong();

    SparkplugReadings(SparkplugHost.Limits limits, Clock clock, SparkplugIdentities identities) {
        this.limits = limits;
        this.clock = clock;
        this.identities = identities;
    }

    /** Refuses an empty payload and one over {@link SparkplugHost.Limits#maxPayloadBytes}, before decoding. */
    void checkSize(byte[] payload) throws InvalidMessageException {
        if (payload == null || payload.length == 0) {
            throw new InvalidMessageException("empty payload");
        }
        if (payload.length > limits.maxPayloadBytes()) {
            throw new InvalidMessageException("payload of " + payload.length + " bytes is over the limit of "
                    + limits.maxPayloadBytes());
        }
    }

    /**
     * The node messages of a birth's or DATA message's metrics: one per metric timestamp (and historical flag), each
     * channel once (the last value of a channel at one timestamp wins, as in the TSDB). Metrics that are not stored
     * are left out; a metric the birth did not declare refuses the whole message.
     */
    List<NodeMessage> messages(String site, String node, BirthCertificate certificate,
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
        long seq = identities.take(site, node, groups.size());
        List<NodeMessage> messages = new ArrayList<>(groups.size());
        for (Map.Entry<Group, Map<String, Reading>> entry : groups.entrySet()) {
            messages.add(new NodeMessage(NodeMessage.SCHEMA_VERSION, site, node, seq++, entry.getKey().timestamp(),
                    entry.getKey().historical(), new ArrayList<>(entry.getValue().values())));
        }
        return messages;
    }

    /**
     * The birth certificate of a birth, within the metrics per birth and the metrics kept in all; the metrics it does
     * not store for their name are logged (rate-limited).
     */
    BirthCertificate certificate(SparkplugBPayload payload, BirthCertificate.Types types, String what)
            throws InvalidMessageException {
        if (types.missing()) {
            throw new InvalidMessageException(what + ": a metric has no datatype (a birth gives every metric's datatype)");
        }
        int count = payload.getMetrics().size();
        if (count > limits.maxMetricsPerBirth()) {
            throw new LimitExceededException("sparkplug-metrics-per-birth", what + " has " + count
                    + " metrics, over iiot.sparkplug.max-metrics-per-birth (" + limits.maxMetricsPerBirth() + ")");
        }
        long metricsKept = identities.metricsKept();
        if (metricsKept + count > limits.maxMetrics()) {
            throw new LimitExceededException("sparkplug-metrics", what + ": its " + count + " metrics would take the births"
                    + " kept over iiot.sparkplug.max-metrics (" + limits.maxMetrics() + ", " + metricsKept + " kept)");
        }
        BirthCertificate certificate = BirthCertificate.of(payload.getMetrics(), what);
        if (certificate.skippedCount() > 0) {
            long total = skippedTotal.addAndGet(certificate.skippedCount());
            skippedMetrics.warn(what + ": " + certificate.skippedCount() + " metric(s) not stored for their name, e.g. "
                    + String.join("; ", certificate.skipped()), total);
        }
        return certificate;
    }

    /** The payload decoded with the datatypes of its birth (or those a birth gives); its metrics never null. */
    SparkplugBPayload decode(byte[] bytes, MetricDataTypeMap types, String what) throws InvalidMessageException {
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

    /** The payload's seq, 0..255; else refused. */
    static long seqOf(SparkplugBPayload payload, String what) throws InvalidMessageException {
        Long seq = payload.getSeq();
        if (seq == null || seq < 0 || seq > 255) {
            throw new InvalidMessageException(what + ": seq " + (seq == null ? "missing" : seq + " outside 0..255"));
        }
        return seq;
    }

    /** The payload's bdSeq metric, or null. */
    static Long bdSeqOf(SparkplugBPayload payload) {
        for (Metric metric : payload.getMetrics()) {
            if (metric != null && SparkplugNames.BD_SEQ.equals(metric.getName()) && metric.getValue() instanceof Number n) {
                return n.longValue();
            }
        }
        return null;
    }

    /** The payload's timestamp, or {@code otherwise}. */
    static long timestampOf(SparkplugBPayload payload, long otherwise) {
        return payload.getTimestamp() == null ? otherwise : payload.getTimestamp().getTime();
    }

    /** What a dead letter keeps of a Sparkplug payload (binary): its size and its first bytes as base64. */
    static String describe(byte[] payload) {
        if (payload == null) {
            return "";
        }
        byte[] kept = payload.length <= DESCRIBED_BYTES ? payload : Arrays.copyOf(payload, DESCRIBED_BYTES);
        return "Sparkplug B payload, " + payload.length + " bytes, base64: " + Base64.getEncoder().encodeToString(kept)
                + (payload.length > DESCRIBED_BYTES ? "…" : "");
    }
}
