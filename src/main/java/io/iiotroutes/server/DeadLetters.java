package io.iiotroutes.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.sparkplug.SparkplugTopics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.component.influxdb2.data.Points;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a refused message into a {@link DeadLetter}, counts them (in all and per stage), and shapes them for the dead-letter topic
 * (JSON) and the TSDB (measurement {@value #MEASUREMENT}).
 */
public class DeadLetters {

    public static final String MEASUREMENT = "deadletter";
    /**
     * The {@code site} or {@code node} tag of a dead letter from a node (or site) the server has not admitted (refused
     * by a node limit, or invalid before it was ever admitted): names chosen by whoever publishes must not each make
     * a series. Not a valid id ({@link TopicContract#ID_PATTERN}), so no node is called that; the real names are in
     * the field {@code sender}.
     */
    public static final String NOT_ADMITTED = "_not-admitted";

    private final ObjectMapper json = new ObjectMapper();
    private final int maxPayloadChars;
    private final Clock clock;
    private final AtomicLong count = new AtomicLong();
    /** Per stage; the stages are a fixed handful, so this stays small. */
    private final Map<String, AtomicLong> byStage = new ConcurrentSkipListMap<>();
    private volatile MeterRegistry metrics;
    /** Whether a dead letter's site and node may be its tags (known to the server); every name, until told. */
    private volatile ChannelCatalog admitted;

    public DeadLetters(int maxPayloadChars) {
        this(maxPayloadChars, Clock.systemUTC());
    }

    /** Counts dead letters as {@code iiot_dead_letters_total} in the given registry. */
    public void bindMetrics(MeterRegistry metrics) {
        FunctionCounter.builder("iiot.dead.letters", count, AtomicLong::get)
                .description("Messages refused (validation, limit, TSDB, internal error) and dead-lettered").register(metrics);
        this.metrics = metrics;
        byStage.forEach((stage, counter) -> registerStage(metrics, stage, counter));
    }

    private static void registerStage(MeterRegistry registry, String stage, AtomicLong counter) {
        FunctionCounter.builder("iiot.dead.letters.stage", counter, AtomicLong::get).tag("stage", stage)
                .description("Dead letters by the stage that refused them").register(registry);
    }

    DeadLetters(int maxPayloadChars, Clock clock) {
        this.maxPayloadChars = maxPayloadChars;
        this.clock = clock;
    }

    /**
     * Tags dead letters with their site and node only when the catalog knows them (configured, or admitted within
     * the per-node limits), so the {@value #MEASUREMENT} series stay bounded by those limits too; others get
     * {@value #NOT_ADMITTED}.
     */
    public void tagOnlyAdmitted(ChannelCatalog catalog) {
        this.admitted = catalog;
    }

    public DeadLetter create(byte[] payload, String topic, Throwable failure) {
        count.incrementAndGet();
        TopicContract.NodeAddress address = TopicContract.parse(topic)
                .or(() -> SparkplugTopics.nodeAddress(topic)).orElse(null);
        // decode no more than the kept characters can need (4 bytes each at most): an oversized payload costs
        // the same as one at the limit
        String text = payload == null ? "" : new String(payload, 0,
                (int) Math.min(payload.length, 4L * maxPayloadChars + 4), StandardCharsets.UTF_8);
        if (text.length() > maxPayloadChars) {
            text = text.substring(0, maxPayloadChars) + "…";
        }
        boolean internal = IngestFailures.kind(failure) == IngestFailures.Kind.INTERNAL;
        String stage = internal ? "internal" : stageOf(failure);
        byStage.computeIfAbsent(stage, s -> {
            AtomicLong counter = new AtomicLong();
            MeterRegistry registry = metrics;
            if (registry != null) {
                registerStage(registry, s, counter);
            }
            return counter;
        }).incrementAndGet();
        return new DeadLetter(clock.millis(), topic == null ? "" : topic,
                address == null ? "unknown" : address.site(), address == null ? "unknown" : address.node(),
                stage, internal ? IngestFailures.internalReason(failure) : reasonOf(failure), text,
                payload == null ? 0 : payload.length);
    }

    /** validation, limit or tsdb (refused by the TSDB), for a failure that is not an internal error. */
    private static String stageOf(Throwable failure) {
        Throwable root = rootOf(failure);
        if (root instanceof LimitExceededException) {
            return "limit";
        }
        return root instanceof InvalidMessageException ? "validation" : "tsdb";
    }

    public long count() {
        return count.get();
    }

    /** Dead letters so far per stage (validation, limit, tsdb, internal); stages with none are left out. */
    public Map<String, Long> countsByStage() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        byStage.forEach((stage, counter) -> counts.put(stage, counter.get()));
        return counts;
    }

    public String toJson(DeadLetter letter) throws JsonProcessingException {
        return json.writeValueAsString(letter);
    }

    /**
     * The TSDB point: tagged by site and node (as far as admitted, {@link #tagOnlyAdmitted}) and stage (a fixed
     * set), so a flood of refused names adds no series; the sender as the topic named it is a field.
     */
    public Points toPoints(DeadLetter letter) {
        TopicContract.NodeAddress address = TopicContract.parse(letter.topic()).orElse(null);
        ChannelCatalog catalog = admitted;
        String site = letter.site();
        String node = letter.node();
        if (address != null && catalog != null) {
            site = catalog.hasSite(site) ? site : NOT_ADMITTED;
            node = catalog.hasNode(letter.site(), node) ? node : NOT_ADMITTED;
        }
        Point point = Point.measurement(MEASUREMENT)
                .addTag("site", site)
                .addTag("node", node)
                .addTag("stage", letter.stage())
                .addField("topic", SafeText.of(letter.topic()))
                .addField("reason", SafeText.of(letter.reason()))
                .addField("payload", SafeText.of(letter.payload()))
                .addField("size", letter.size())
                .time(letter.receivedAt(), WritePrecision.MS);
        if (address != null) {
            point.addField("sender", address.site() + "/" + address.node());
        }
        return Points.create(List.of(point));
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable t = failure;
        while (t != null && !(t instanceof InvalidMessageException) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String reasonOf(Throwable failure) {
        Throwable t = rootOf(failure);
        String message = t == null ? null : t.getMessage();
        return message == null ? String.valueOf(failure) : message;
    }
}
