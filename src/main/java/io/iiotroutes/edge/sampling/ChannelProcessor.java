package io.iiotroutes.edge.sampling;

import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.edge.convert.Converted;
import io.iiotroutes.edge.convert.SignalConverter;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;

/**
 * Turns one tick's samples of a channel into a Reading. A failed read is BAD with the driver's reason; once a
 * channel has had no good read for more than staleAfterPeriods periods the reason becomes "stale: ...".
 * A tick where only some oversamples failed is UNCERTAIN "partial read: ...".
 */
final class ChannelProcessor {

    private final ChannelConfig channel;
    private final SignalConverter converter;
    private final long staleAfterMs;
    private long lastGoodRead;

    ChannelProcessor(ChannelConfig channel, long periodMs, int staleAfterPeriods, long startMillis) {
        this.channel = channel;
        this.converter = new SignalConverter(channel);
        this.staleAfterMs = periodMs * staleAfterPeriods;
        this.lastGoodRead = startMillis;
    }

    Reading process(SampleAccumulator samples, long now) {
        if (!samples.anySuccess()) {
            boolean stale = now - lastGoodRead > staleAfterMs;
            String reason = stale ? "stale: " + samples.lastError() : samples.lastError();
            return new Reading(channel.id(), null, channel.unit(), null, Quality.BAD, Reading.boundedReason(reason));
        }
        lastGoodRead = now;
        Converted c = converter.convert(samples.mean());
        if (c.quality() == Quality.GOOD && samples.failures() > 0) {
            c = Converted.uncertain(c.value(), "partial read: " + samples.lastError());
        }
        return new Reading(channel.id(), c.value(), channel.unit(), samples.meanRaw(), c.quality(),
                Reading.boundedReason(c.reason()));
    }
}
