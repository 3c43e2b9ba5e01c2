package io.iiotroutes.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.codec.MessageDecoder;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.ops.RateLimitedWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's first step: decodes a data (or status) payload and checks it against the topic it arrived on, so a
 * node can only speak for itself and nothing unsafe reaches the TSDB as a tag.
 */
public class IngestDecoder {

    /** A status payload is a few dozen bytes (docs/contract.md); a bigger one is not parsed at all. */
    static final int MAX_STATUS_BYTES = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(IngestDecoder.class);

    private final ObjectMapper json = new ObjectMapper();
    private final RateLimitedWarning outsideWindow = new RateLimitedWarning(LOG, 60_000);
    private final AtomicLong statusOutsideWindow = new AtomicLong();
    private final MessageDecoder decoder;
    private final int maxPayloadBytes;
    private final Duration maxFutureSkew;
    private final Duration maxAge;
    private final Clock clock;

    /**
     * @param maxFutureSkewSeconds how far a source timestamp may run ahead of the server's clock
     * @param maxAgeSeconds        how old a source timestamp may be (replayed journals included)
     */
    public IngestDecoder(MessageDecoder decoder, int maxPayloadBytes, long maxFutureSkewSeconds, long maxAgeSeconds) {
        this(decoder, maxPayloadBytes, Duration.ofSeconds(maxFutureSkewSeconds), Duration.ofSeconds(maxAgeSeconds),
                Clock.systemUTC());
    }

    IngestDecoder(MessageDecoder decoder, int maxPayloadBytes, Duration maxFutureSkew, Duration maxAge, Clock clock) {
        this.decoder = decoder;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxFutureSkew = maxFutureSkew;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * Decodes a status payload ({@code iiot/v1/{site}/{node}/status}: {@code {"state":"online"|"offline","ts":..}},
     * at most {@value #MAX_STATUS_BYTES} bytes); anything else is refused (dead letter). Its {@code ts} is held to the
     * same clock window as a data message's, since {@code node_status} is partitioned by day, but a status outside
     * it is not refused: it is stamped with the server's time of arrival instead. A last will's {@code ts} is when its
     * connection opened (its payload is fixed at CONNECT), so a node connected for longer than
     * {@code iiot.server.max-age-seconds} still has its going offline recorded.
     */
    public NodeStatus decodeStatus(byte[] payload, String topic) throws InvalidMessageException {
        TopicContract.NodeAddress address = TopicContract.parse(topic)
                .filter(a -> a.kind().equals("status"))
                .orElseThrow(() -> new InvalidMessageException("topic '" + topic + "' is not iiot/v1/{site}/{node}/status"));
        if (payload == null || payload.length == 0) {
            throw new InvalidMessageException("empty status payload");
        }
        if (payload.length > MAX_STATUS_BYTES) {
            throw new InvalidMessageException("status payload of " + payload.length + " bytes is over the limit of "
                    + MAX_STATUS_BYTES);
        }
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("status payload is not JSON: " + SafeText.of(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InvalidMessageException("status payload is not JSON");
        }
        String state = root == null ? "" : root.path("state").asText("");
        if (!state.equals("online") && !state.equals("offline")) {
            throw new InvalidMessageException("status 'state' must be \"online\" or \"offline\", not '"
                    + SafeText.of(state.length() > 40 ? state.substring(0, 40) + "…" : state) + "'");
        }
        JsonNode ts = root.path("ts");
        long now = clock.millis();
        long timestamp = now;
        if (!ts.isMissingNode() && !ts.isNull()) {
            if (!ts.canConvertToExactIntegral() || !ts.canConvertToLong()) {
                throw new InvalidMessageException("status 'ts' must be epoch milliseconds, not " + SafeText.of(
                        ts.toString().length() > 40 ? ts.toString().substring(0, 40) + "…" : ts.toString()));
            }
            timestamp = ts.asLong();
            if (timestamp > now + maxFutureSkew.toMillis() || timestamp < now - maxAge.toMillis()) {
                outsideWindow.warn("status of " + address.site() + "/" + address.node() + " stamped "
                        + Instant.ofEpochMilli(timestamp) + ", outside the clock window (iiot.server.max-clock-skew-seconds,"
                        + " iiot.server.max-age-seconds): recorded at the server's time", statusOutsideWindow.incrementAndGet());
                timestamp = now;
            }
        }
        return new NodeStatus(address.site(), address.node(), state, timestamp);
    }

    public NodeMessage decode(byte[] payload, String topic) throws InvalidMessageException {
        TopicContract.NodeAddress address = TopicContract.parse(topic)
                .filter(a -> a.kind().equals("data"))
                .orElseThrow(() -> new InvalidMessageException("topic '" + topic + "' is not iiot/v1/{site}/{node}/data"));
        if (payload == null || payload.length == 0) {
            throw new InvalidMessageException("empty payload");
        }
        if (payload.length > maxPayloadBytes) {
            throw new InvalidMessageException("payload of " + payload.length + " bytes is over the limit of "
                    + maxPayloadBytes);
        }
        NodeMessage message = decoder.decode(payload);
        if (!message.site().equals(address.site()) || !message.node().equals(address.node())) {
            throw new InvalidMessageException("payload names " + message.site() + "/" + message.node()
                    + " but arrived on the topic of " + address.site() + "/" + address.node());
        }
        return check(message);
    }

    /**
     * The contract's checks on a message, however it was made (decoded here, or from another protocol such as
     * Sparkplug B): seq, source time against the server's clock, channel ids, units and reasons.
     */
    public NodeMessage check(NodeMessage message) throws InvalidMessageException {
        if (message.seq() < 0) {
            throw new InvalidMessageException("field 'seq' must be 0 or more, not " + message.seq());
        }
        // A node whose clock is wrong would write into the wrong place of history: refuse it, loudly, instead.
        Instant source = Instant.ofEpochMilli(message.timestamp());
        Instant now = clock.instant();
        if (source.isAfter(now.plus(maxFutureSkew))) {
            throw new InvalidMessageException("timestamp " + source + " is more than " + maxFutureSkew.toSeconds()
                    + " s ahead of the server clock (" + now + "): check the node's clock (NTP)");
        }
        if (source.isBefore(now.minus(maxAge))) {
            throw new InvalidMessageException("timestamp " + source + " is older than the allowed " + maxAge.toSeconds()
                    + " s (server clock " + now + ")");
        }
        Set<String> channels = new HashSet<>();
        for (Reading reading : message.readings()) {
            if (!TopicContract.isValidId(reading.channel())) {
                throw new InvalidMessageException("channel id '" + reading.channel() + "' must match "
                        + TopicContract.ID_PATTERN);
            }
            if (reading.unit().length() > Reading.MAX_UNIT_LENGTH) {
                throw new InvalidMessageException("unit of channel '" + reading.channel() + "' is longer than "
                        + Reading.MAX_UNIT_LENGTH + " characters");
            }
            if (reading.reason() != null && reading.reason().length() > Reading.MAX_REASON_LENGTH) {
                throw new InvalidMessageException("reason of channel '" + reading.channel() + "' is longer than "
                        + Reading.MAX_REASON_LENGTH + " characters");
            }
            if (SafeText.hasControlCharacters(reading.unit())) {
                throw new InvalidMessageException("unit of channel '" + reading.channel() + "' contains control characters");
            }
            // the TSDB clients escape spaces, commas and '=' in tag values but not a backslash, which would then
            // escape their escape and let the rest of the value rewrite the line
            if (reading.unit().indexOf('\\') >= 0) {
                throw new InvalidMessageException("unit of channel '" + reading.channel() + "' contains a backslash");
            }
            if (!channels.add(reading.channel())) {
                throw new InvalidMessageException("channel '" + reading.channel() + "' appears twice");
            }
        }
        return message;
    }
}
