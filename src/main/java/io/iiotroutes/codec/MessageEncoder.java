package io.iiotroutes.codec;

import io.iiotroutes.model.NodeMessage;

/** Turns a node message into the bytes of an MQTT payload. */
public interface MessageEncoder {

    byte[] encode(NodeMessage message);
}
