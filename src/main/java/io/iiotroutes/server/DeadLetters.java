package io.iiotroutes.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.model.TopicContract;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.component.influxdb2.data.Points;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a refused message into a {@link DeadLetter}, counts them, and shapes them for the dead-letter topic
 * (JSON) and the TSDB (measurement {@value #MEASUREMENT}).
 */
public class DeadLetters {

    public static final String MEASUREMENT = "deadletter";

    private final ObjectMapper json = new ObjectMapper();
    private final int maxPayloadChars;
    private final Clock clock;
    private final AtomicLong count = new AtomicLong();

    public DeadLetters(int maxPayloadChars) {
        this(maxPayloadChars, Clock.systemUTC());
    }

    /** Counts dead letters as {@code iiot_dead_letters_total} in the given registry. */
    public void bindMetrics(MeterRegistry metrics) {
        FunctionCounter.builder("iiot.dead.letters", count, AtomicLong::get)
                .description("Messages refused (validation or TSDB) and dead-lettered").register(metrics);
    }

    DeadLetters(int maxPayloadChars, Clock clock) {
        this.maxPayloadChars = maxPayloadChars;
        this.clock = clock;
    }

    public DeadLetter create(byte[] payload, String topic, Throwable failure) {
        count.incrementAndGet();
        TopicContract.NodeAddress address = TopicContract.parse(topic).orElse(null);
        String text = payload == null ? "" : new String(payload, StandardCharsets.UTF_8);
        if (text.length() > maxPayloadChars) {
            text = text.substring(0, maxPayloadChars) + "…";
        }
        boolean invalid = rootOf(failure) instanceof InvalidMessageException || failure instanceof InvalidMessageException;
        return new DeadLetter(clock.millis(), topic == null ? "" : topic,
                address == null ? "unknown" : address.site(), address == null ? "unknown" : address.node(),
                invalid ? "validation" : "tsdb", reasonOf(failure), text, payload == null ? 0 : payload.length);
    }

    public long count() {
        return count.get();
    }

    public String toJson(DeadLetter letter) throws JsonProcessingException {
        return json.writeValueAsString(letter);
    }

    public Points toPoints(DeadLetter letter) {
        return Points.create(List.of(Point.measurement(MEASUREMENT)
                .addTag("site", letter.site())
                .addTag("node", letter.node())
                .addTag("stage", letter.stage())
                .addField("topic", SafeText.of(letter.topic()))
                .addField("reason", SafeText.of(letter.reason()))
                .addField("payload", SafeText.of(letter.payload()))
                .addField("size", letter.size())
                .time(letter.receivedAt(), WritePrecision.MS)));
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
