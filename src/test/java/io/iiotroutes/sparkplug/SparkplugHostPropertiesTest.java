package io.iiotroutes.sparkplug;

import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.edge.TestClock;
import io.iiotroutes.model.TopicContract;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.eclipse.tahu.message.model.MetricDataType;

import java.util.ArrayList;
import java.util.List;

import static io.iiotroutes.sparkplug.SparkplugPayloads.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host against generated input: names, arbitrary bytes on every kind of topic, seq streams with gaps. */
class SparkplugHostPropertiesTest {

    static final long T0 = 1_763_928_000_000L;

    @Property
    void aMetricNameBecomesAValidChannelIdOrNothing(@ForAll String name) {
        SparkplugNames.channel(name).ifPresent(channel -> {
            assertTrue(TopicContract.isValidId(channel), channel);
            assertEquals(name.length(), channel.length());
        });
    }

    @Property
    void validIdsStayThemselves(@ForAll("ids") String id) {
        assertEquals(id, SparkplugNames.channel(id).orElseThrow());
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().withChars("abcXYZ019_.-").ofMinLength(0).ofMaxLength(63)
                .map(rest -> "a" + rest);
    }

    /** Whatever bytes arrive on whatever topic: an outcome or a refusal with a reason, never another failure. */
    @Property(tries = 300)
    void anyBytesOnAnyTopicAreTakenOrRefusedWithinTheBounds(@ForAll @Size(max = 20) List<@Size(max = 300) byte[]> payloads,
                                                            @ForAll("topics") List<String> topics) {
        SparkplugHost host = new SparkplugHost("h", new SparkplugHost.Limits(4, 2, 10, 20, 5, 4096, 0),
                commands(new ArrayList<>()), new TestClock(T0));
        for (int i = 0; i < payloads.size(); i++) {
            String topic = topics.get(i % topics.size());
            try {
                host.receive(payloads.get(i), topic);
            } catch (InvalidMessageException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
            }
            assertTrue(host.metricsKept() <= 20 && host.metricsKept() >= 0, "metrics kept " + host.metricsKept());
            assertTrue(host.identities() <= 4);
        }
    }

    @Provide
    Arbitrary<List<String>> topics() {
        return Arbitraries.of("spBv1.0/g/NBIRTH/e", "spBv1.0/g/NDATA/e", "spBv1.0/g/NDEATH/e", "spBv1.0/g/DBIRTH/e/d",
                "spBv1.0/g/DDATA/e/d", "spBv1.0/g/DDEATH/e/d", "spBv1.0/STATE/h", "spBv1.0/g/NCMD/e", "spBv1.0/g/NDATA",
                "spBv1.0/g/NDATA/e/x/y", "spBv1.0/g h/NDATA/e", "iiot/v1/a/b/data", "spBv1.0/g/NBIRTH/e2",
                "spBv1.0/g/NBIRTH/e3", "spBv1.0/g/NBIRTH/e4", "spBv1.0/g/NBIRTH/e5").list().ofMinSize(1).ofMaxSize(8);
    }

    /**
     * A stream of NDATA seqs after a birth: each in step is taken, from the first out of step everything is refused
     * until the next birth, and exactly one rebirth is asked for per out-of-step run (interval 0: at each refusal).
     */
    @Property(tries = 300)
    void onlyMessagesInStepAreTaken(@ForAll @IntRange(min = 0, max = 255) int start,
                                    @ForAll("steps") List<Integer> steps) throws Exception {
        List<String> rebirths = new ArrayList<>();
        SparkplugHost host = new SparkplugHost("h", new SparkplugHost.Limits(10, 2, 10, 100, 5, 4096, 60_000),
                commands(rebirths), new TestClock(T0 + 1000));
        host.receive(payload().seq(start).at(T0).bdSeq(0).birth("a", 1, MetricDataType.Double, 1.0, null).bytes(),
                "spBv1.0/g/NBIRTH/e");
        long seq = start;
        boolean stale = false;
        int taken = 0;
        for (int step : steps) {
            seq = (seq + (step == 0 ? 1 : step + 1)) % 256;   // step 0: the next one; else a gap of step messages
            boolean inStep = step == 0 && !stale;
            try {
                host.receive(payload().seq(seq).alias(1, MetricDataType.Double, 2.0, T0).bytes(true), "spBv1.0/g/NDATA/e");
                assertTrue(inStep, "taken out of step");
                taken++;
            } catch (InvalidMessageException e) {
                assertTrue(!inStep, "refused in step: " + e.getMessage());
                stale = true;
            }
        }
        assertEquals(stale ? 1 : 0, rebirths.size(), "one request within the interval");
        assertTrue(taken <= steps.size());
    }

    /** Mostly the next seq (so streams run long and wrap past 255), now and then a gap of 1 to 3. */
    @Provide
    Arbitrary<List<Integer>> steps() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(30, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 3))).list().ofMinSize(1).ofMaxSize(300);
    }

    private static SparkplugHost.Commands commands(List<String> rebirths) {
        return new SparkplugHost.Commands() {
            @Override
            public void requestRebirth(String group, String edgeNode) {
                rebirths.add(group + "/" + edgeNode);
            }

            @Override
            public void republishState() {
            }
        };
    }
}
