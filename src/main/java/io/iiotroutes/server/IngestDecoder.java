package io.iiotroutes.server;

import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.codec.MessageDecoder;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * The server's first step: decodes a data payload and checks it against the topic it arrived on, so a node can
 * only speak for itself and nothing unsafe reaches the TSDB as a tag.
 */
public class IngestDecoder {

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
