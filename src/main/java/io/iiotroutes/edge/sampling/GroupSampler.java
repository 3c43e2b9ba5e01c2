package io.iiotroutes.edge.sampling;

import io.iiotroutes.node.ChannelConfig;
import io.iiotroutes.node.GroupConfig;
import io.iiotroutes.edge.driver.ChannelResult;
import io.iiotroutes.edge.driver.DriverSession;
import io.iiotroutes.model.Reading;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One channel group: when it is due, reads it (with oversampling), converts, and keeps what must be reported. */
public final class GroupSampler {

    private final GroupConfig group;
    private final long dueTolerance;
    private final Map<ChannelConfig, ChannelProcessor> processors = new LinkedHashMap<>();
    private final Map<ChannelConfig, ReportByException> filters = new LinkedHashMap<>();
    private final int rounds;
    private long lastSampled = Long.MIN_VALUE;

    /** @param tickMillis the timer period; half a tick of jitter still counts as due */
    public GroupSampler(GroupConfig group, long tickMillis, int staleAfterPeriods, long startMillis) {
        this.group = group;
        this.dueTolerance = tickMillis / 2;
        for (ChannelConfig channel : group.channels()) {
            processors.put(channel, new ChannelProcessor(channel, group.periodMs(), staleAfterPeriods, startMillis));
            filters.put(channel, new ReportByException(channel.deadband(), channel.heartbeatMs()));
        }
        this.rounds = group.channels().stream().mapToInt(ChannelConfig::average).max().orElse(1);
    }

    public boolean isDue(long now) {
        return lastSampled == Long.MIN_VALUE || now - lastSampled >= group.periodMs() - dueTolerance;
    }

    /** Samples the group now and returns the readings that pass report-by-exception. */
    public List<Reading> sample(DriverSession session, long now) {
        lastSampled = now;
        Map<ChannelConfig, SampleAccumulator> samples = readAll(session);
        List<Reading> report = new ArrayList<>();
        for (ChannelConfig channel : group.channels()) {
            Reading reading = processors.get(channel).process(samples.get(channel), now);
            if (filters.get(channel).offer(reading, now)) {
                report.add(reading);
            }
        }
        return report;
    }

    /** Round r reads every channel that wants more than r samples, so all oversamples of a tick are close in time. */
    private Map<ChannelConfig, SampleAccumulator> readAll(DriverSession session) {
        Map<ChannelConfig, SampleAccumulator> samples = new LinkedHashMap<>();
        group.channels().forEach(c -> samples.put(c, new SampleAccumulator()));
        for (int round = 0; round < rounds; round++) {
            int r = round;
            List<ChannelConfig> wanted = group.channels().stream().filter(c -> c.average() > r).toList();
            List<ChannelResult> results = session.read(wanted);
            for (int i = 0; i < wanted.size(); i++) {
                samples.get(wanted.get(i)).add(results.get(i));
            }
        }
        return samples;
    }
}
