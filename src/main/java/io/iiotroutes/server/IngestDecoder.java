package io.iiotroutes.server;

import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.codec.MessageDecoder;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;

import java.util.HashSet;
import java.util.Set;

/**
 * The server's first step: decodes a data payload and checks it against the topic it arrived on, so a node can
 * only speak for itself and nothing unsafe reaches the TSDB as a tag.
 */
public class IngestDecoder {

    private final MessageDecoder decoder;
    private final int maxPayloadBytes;

    public IngestDecoder(MessageDecoder decoder, int maxPayloadBytes) {
        this.decoder = decoder;
        this.maxPayloadBytes = maxPayloadBytes;
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
        Set<String> channels = new HashSet<>();
        for (Reading reading : message.readings()) {
            if (!TopicContract.isValidId(reading.channel())) {
                throw new InvalidMessageException("channel id '" + reading.channel() + "' must match "
                        + TopicContract.ID_PATTERN);
            }
            if (!channels.add(reading.channel())) {
                throw new InvalidMessageException("channel '" + reading.channel() + "' appears twice");
            }
        }
        return message;
    }
}
