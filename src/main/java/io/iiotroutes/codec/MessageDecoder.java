package io.iiotroutes.codec;

import io.iiotroutes.model.NodeMessage;

/** Turns the bytes of an MQTT payload into a node message, or says precisely why it cannot. */
public interface MessageDecoder {

    NodeMessage decode(byte[] payload) throws InvalidMessageException;
}
