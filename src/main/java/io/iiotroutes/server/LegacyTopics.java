package io.iiotroutes.server;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Migration from the original system, whose nodes publish one bare number per flat topic ({@code Node2_Input_1}
 * with payload {@code 3500}). A mapping file names, per legacy topic, the site, node, channel and unit it stands for
 * and how the number becomes the engineering value ({@code raw: [min, max]} → {@code range: [min, max]}, linear);
 * {@link #decode} turns one legacy message into the same {@link NodeMessage} a v1 node would have sent.
 * <p>
 * A legacy message carries no timestamp and no sequence number: it is stamped with the server's clock when it
 * arrives, and numbered per node from the server's start (so completeness counts it, but a restart shows as a reset).
 * A number outside the raw range is stored with quality UNCERTAIN; a payload that is not a finite number, or a
 * topic the file does not name, is refused (dead letter), as is a payload longer than {@value #MAX_PAYLOAD_BYTES}
 * bytes (before it is parsed: parsing a number costs more than linear time in its digits).
 */
public class LegacyTopics {

    /** One legacy topic's meaning. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Mapping(String site, String node, String channel, String unit, List<Double> raw, List<Double> range) {
    }

    record MappingFile(Map<String, Mapping> topics) {
    }

    /** A bare number with room for whitespace: a longer payload is refused before it is read as text or parsed. */
    static final int MAX_PAYLOAD_BYTES = 256;

    private final Map<String, Mapping> topics;
    private final Clock clock;
    private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();

    /**
     * @param file    the mapping file (YAML: {@code topics: {<topic>: {site, node, channel, unit, raw, range}}})
     * @param enabled false: legacy ingestion is off, the file is not read (and need not exist)
     */
    public LegacyTopics(String file, boolean enabled) throws IOException {
        this(enabled ? load(Path.of(file)) : Map.of(), Clock.systemUTC());
    }

    LegacyTopics(Map<String, Mapping> topics, Clock clock) {
        this.topics = Map.copyOf(topics);
        this.clock = clock;
    }

    public static Map<String, Mapping> load(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        MappingFile parsed;
        try {
            parsed = yaml.readValue(file.toFile(), MappingFile.class);
        } catch (IOException e) {
            throw new IOException("cannot read the legacy topic mapping " + file + ": " + e.getMessage(), e);
        }
        Map<String, Mapping> topics = parsed == null || parsed.topics() == null ? Map.of() : new TreeMap<>(parsed.topics());
        for (Map.Entry<String, Mapping> entry : topics.entrySet()) {
            String problem = problem(entry.getKey(), entry.getValue());
            if (problem != null) {
                throw new IllegalArgumentException("legacy topic mapping " + file + ", topic '" + entry.getKey() + "': " + problem);
            }
        }
        return topics;
    }

    private static String problem(String topic, Mapping m) {
        if (topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
            return "a topic name, without wildcards, is required";
        }
        if (m == null) {
            return "site, node, channel and unit are required";
        }
        if (!TopicContract.isValidId(m.site()) || !TopicContract.isValidId(m.node()) || !TopicContract.isValidId(m.channel())) {
            return "site, node and channel must match " + TopicContract.ID_PATTERN;
        }
        if (m.unit() == null || m.unit().isBlank() || m.unit().chars().anyMatch(Character::isISOControl)) {
            return "unit is required";
        }
        if ((m.raw() == null) != (m.range() == null)) {
            return "raw and range go together (raw: [min, max] is scaled to range: [min, max])";
        }
        if (m.raw() != null && (m.raw().size() != 2 || m.range().size() != 2 || m.raw().contains(null) || m.range().contains(null)
                || m.raw().get(0).equals(m.raw().get(1)))) {
            return "raw and range are [min, max] pairs, raw min and max different";
        }
        return null;
    }

    public Map<String, Mapping> topics() {
        return topics;
    }

    /** The node message a legacy publish stands for; refused (dead letter) when unmapped or not a finite number. */
    public NodeMessage decode(byte[] payload, String topic) throws InvalidMessageException {
        Mapping mapping = topics.get(topic);
        if (mapping == null) {
            throw new InvalidMessageException("no mapping for legacy topic '" + topic + "' (iiot.legacy.topics-file)");
        }
        if (payload != null && payload.length > MAX_PAYLOAD_BYTES) {
            throw new InvalidMessageException("legacy payload on '" + topic + "' is " + payload.length
                    + " bytes; a bare number is at most " + MAX_PAYLOAD_BYTES);
        }
        String text = payload == null ? "" : new String(payload, StandardCharsets.UTF_8).trim();
        BigDecimal number;
        try {
            number = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new InvalidMessageException("legacy payload on '" + topic + "' is not a number: '"
                    + SafeText.of(text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'");
        }
        double raw = number.doubleValue();
        if (!Double.isFinite(raw)) {
            throw new InvalidMessageException("legacy payload on '" + topic + "' is not a finite number");
        }
        Long rawCounts = isIntegral(number) ? number.longValueExact() : null;
        Reading reading = scale(mapping, raw, rawCounts);
        long seq = sequences.computeIfAbsent(mapping.site() + "/" + mapping.node(), k -> new AtomicLong()).incrementAndGet();
        return NodeMessage.live(mapping.site(), mapping.node(), seq, clock.millis(), List.of(reading));
    }

    private static Reading scale(Mapping m, double raw, Long rawCounts) {
        if (m.raw() == null) {
            return new Reading(m.channel(), raw, m.unit(), rawCounts, Quality.GOOD, null);
        }
        double rawMin = m.raw().get(0);
        double rawMax = m.raw().get(1);
        double value = m.range().get(0) + (raw - rawMin) * (m.range().get(1) - m.range().get(0)) / (rawMax - rawMin);
        boolean inside = raw >= Math.min(rawMin, rawMax) && raw <= Math.max(rawMin, rawMax);
        return inside
                ? new Reading(m.channel(), value, m.unit(), rawCounts, Quality.GOOD, null)
                : new Reading(m.channel(), value, m.unit(), rawCounts, Quality.UNCERTAIN,
                        "raw " + BigDecimal.valueOf(raw).stripTrailingZeros().toPlainString() + " outside "
                                + fmt(rawMin) + ".." + fmt(rawMax));
    }

    private static boolean isIntegral(BigDecimal number) {
        return number.signum() == 0 || number.stripTrailingZeros().scale() <= 0
                && number.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    }

    private static String fmt(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
