package io.iiotroutes.edge.driver;

/** Outcome of reading one channel: a value in signal units (and ADC counts when there are some), or an error. */
public record ChannelResult(String channelId, Double value, Long raw, String error) {

    public static ChannelResult ok(String channelId, double value, Long raw) {
        return new ChannelResult(channelId, value, raw, null);
    }

    public static ChannelResult failure(String channelId, String error) {
        return new ChannelResult(channelId, null, null, error);
    }

    public boolean success() {
        return error == null;
    }
}
