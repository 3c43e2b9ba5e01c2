package io.iiotroutes.edge.driver;

import io.iiotroutes.node.ChannelConfig;

import java.util.List;

/**
 * Data-acquisition driver in the style of Eclipse Kura's driver API: connect, read a batch of channels, close.
 * A channel that cannot be read yields a failed {@link ChannelResult}; read never throws for a channel problem.
 * Values are in the signal's unit ({@link io.iiotroutes.node.SignalType#unit()}): V, mA, ohm or counts.
 */
public interface Driver extends AutoCloseable {

    /** Opens the device; throws when the device cannot be opened at all. */
    void connect() throws DriverException;

    /** One result per channel, in the order given. */
    List<ChannelResult> read(List<ChannelConfig> channels);

    /** Releases the device; safe to call twice. */
    @Override
    void close();
}
