package io.iiotroutes.sparkplug;

import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.model.Reading;
import io.iiotroutes.server.SafeText;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertySet;
import org.eclipse.tahu.message.model.PropertyValue;
import org.eclipse.tahu.model.MetricDataTypeMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a birth (NBIRTH or DBIRTH) said about an edge node's or device's metrics: for each alias and each metric name
 * its channel (null when it is not stored), datatype and engineering unit (property {@value #UNIT_PROPERTY}). DATA
 * messages are decoded and mapped through it; it also answers Tahu's decoder for the datatypes DATA messages leave out.
 * <p>
 * Bounded: it keeps no metric name, only the channel ids (at most 64 characters) and units (at most
 * {@link Reading#MAX_UNIT_LENGTH}), one entry per alias and per channel.
 */
final class BirthCertificate {

    /** The metric property whose String value is the engineering unit (Ignition's and Tahu's examples' name). */
    static final String UNIT_PROPERTY = "engUnit";

    /** One metric of the birth; {@code channel} null when it is not stored (protocol, not numeric, name not an id). */
    record Definition(String channel, MetricDataType type, String unit) {
        boolean stored() {
            return channel != null;
        }
    }

    /** Two metrics whose names map to the same channel: neither is stored (which one a name meant is unknowable). */
    private static final Definition AMBIGUOUS = new Definition(null, MetricDataType.Unknown, "");

    private final Map<Long, Definition> byAlias;
    private final Map<String, Definition> byChannel;
    /** How many metric names a certificate keeps for the log of what it does not store. */
    static final int SKIPPED_NAMED = 5;

    private final int size;
    private final List<String> skipped;
    private final int skippedCount;

    private BirthCertificate(Map<Long, Definition> byAlias, Map<String, Definition> byChannel, int size,
                             List<String> skipped, int skippedCount) {
        this.byAlias = byAlias;
        this.byChannel = byChannel;
        this.size = size;
        this.skipped = List.copyOf(skipped);
        this.skippedCount = skippedCount;
    }

    /**
     * The certificate of a birth's metrics (decoded with {@link #birthTypes()}, so a metric without datatype is
     * seen). Refused when a metric has no name or no datatype, or an alias is used twice.
     */
    static BirthCertificate of(List<Metric> metrics, String what) throws InvalidMessageException {
        Map<Long, Definition> byAlias = new HashMap<>();
        Map<String, Definition> byChannel = new HashMap<>();
        List<String> skipped = new ArrayList<>();
        int skippedCount = 0;
        for (Metric metric : metrics) {
            if (metric == null || !metric.hasName()) {
                throw new InvalidMessageException(what + ": a metric without a name");
            }
            if (metric.getDataType() == null || metric.getDataType() == MetricDataType.Unknown) {
                throw new InvalidMessageException(what + ": metric '" + shortName(metric.getName()) + "' has no datatype");
            }
            boolean protocol = SparkplugNames.isProtocolMetric(metric.getName());
            Optional<String> channel = SparkplugNames.channel(metric.getName());
            boolean stored = channel.isPresent() && !protocol && SparkplugValues.isNumeric(metric.getDataType());
            Definition definition = new Definition(stored ? channel.get() : null, metric.getDataType(), unitOf(metric));
            if (channel.isPresent()) {
                // by channel id rather than by name: a name may be as long as the payload, an id is at most 64 characters
                Definition before = byChannel.putIfAbsent(channel.get(), definition);
                if (before != null) {
                    byChannel.put(channel.get(), AMBIGUOUS);
                    if (skippedCount++ < SKIPPED_NAMED) {
                        skipped.add(shortName(metric.getName()) + " (same channel id as another metric: " + channel.get() + ")");
                    }
                }
            } else if (!protocol && skippedCount++ < SKIPPED_NAMED) {
                skipped.add(shortName(metric.getName()) + " (not a channel id once rewritten)");
            }
            if (metric.hasAlias()) {
                if (byAlias.put(metric.getAlias(), definition) != null) {
                    throw new InvalidMessageException(what + ": alias " + metric.getAlias() + " is used twice");
                }
            }
        }
        // an alias whose name turned out ambiguous stores nothing either
        byAlias.replaceAll((alias, d) -> d.stored() && byChannel.get(d.channel()) == AMBIGUOUS ? AMBIGUOUS : d);
        return new BirthCertificate(byAlias, byChannel, metrics.size(), skipped, skippedCount);
    }

    private static String unitOf(Metric metric) {
        PropertySet properties = metric.getProperties();
        if (properties == null) {
            return "";
        }
        PropertyValue<?> unit = properties.getPropertyValue(UNIT_PROPERTY);
        if (unit == null || !(unit.getValue() instanceof String text) || text.length() > Reading.MAX_UNIT_LENGTH
                || SafeText.hasControlCharacters(text) || text.indexOf('\\') >= 0) {
            return "";   // no unit, or one the contract would refuse: the readings go without
        }
        return text;
    }

    static String shortName(String name) {
        String safe = SafeText.of(name);
        return safe.length() > 80 ? safe.substring(0, 80) + "…" : safe;
    }

    /** Metrics in the birth, counted against the per-birth and overall limits. */
    int size() {
        return size;
    }

    /** The first few metrics of the birth not stored for their name, for the log. */
    List<String> skipped() {
        return skipped;
    }

    /** How many metrics of the birth are not stored for their name (ambiguous, or not an id once rewritten). */
    int skippedCount() {
        return skippedCount;
    }

    /** The definition of an alias, or null when the birth did not give it. */
    Definition alias(long alias) {
        return byAlias.get(alias);
    }

    /** The definition of a metric named in a DATA message; null when the birth had no such name. */
    Definition named(String name) {
        Optional<String> channel = SparkplugNames.channel(name);
        if (channel.isEmpty()) {
            return new Definition(null, MetricDataType.Unknown, "");   // never stored, whatever the birth said
        }
        return byChannel.get(channel.get());
    }

    /** For Tahu's decoder: the datatypes of this birth's metrics, by alias and by name. */
    MetricDataTypeMap types() {
        return new Types(this);
    }

    /** For decoding a birth, DDATA before its DBIRTH and deaths: every metric must bring its datatype ({@link Types#missing}). */
    static Types birthTypes() {
        return new Types(null);
    }

    /**
     * Answers the decoder from the certificate. A metric it cannot answer for (unknown alias or name, or any metric
     * of a birth without datatype) is read as {@link #PLACEHOLDER} so decoding goes on; the mapping then finds it
     * unknown. Never empty: Tahu's decoder logs every metric of an empty map as an error.
     */
    static final class Types extends MetricDataTypeMap {
        static final MetricDataType PLACEHOLDER = MetricDataType.Int64;
        private final BirthCertificate certificate;
        private boolean missing;

        Types(BirthCertificate certificate) {
            this.certificate = certificate;
        }

        @Override
        public MetricDataType getMetricDataType(String metricName) {
            Definition definition = certificate == null ? null : certificate.named(metricName);
            return answer(definition);
        }

        @Override
        public MetricDataType getMetricDataType(Long alias) {
            Definition definition = certificate == null || alias == null ? null : certificate.alias(alias);
            return answer(definition);
        }

        private MetricDataType answer(Definition definition) {
            if (definition == null || definition.type() == MetricDataType.Unknown) {
                missing = true;
                return PLACEHOLDER;
            }
            return definition.type();
        }

        /** Whether the decoder asked for a datatype this map could not give (a metric without its own). */
        boolean missing() {
            return missing;
        }

        @Override
        public boolean isEmpty() {
            return false;
        }
    }
}
