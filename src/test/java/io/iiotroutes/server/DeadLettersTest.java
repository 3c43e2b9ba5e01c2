package io.iiotroutes.server;

import com.influxdb.exceptions.BadRequestException;
import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.tsdb.TsdbRefusedException;
import org.apache.camel.component.influxdb2.CamelInfluxDb2Exception;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLettersTest {

    private final DeadLetters deadLetters = new DeadLetters(10,
            Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC));

    @Test
    void keepsWhereWhatAndWhy() {
        DeadLetter letter = deadLetters.create("{oops".getBytes(StandardCharsets.UTF_8), "iiot/v1/plant/press-1/data",
                new InvalidMessageException("malformed JSON: x"));

        assertEquals(new DeadLetter(1_000_000, "iiot/v1/plant/press-1/data", "plant", "press-1", "validation",
                "malformed JSON: x", "{oops", 5), letter);
        assertEquals(1, deadLetters.count());
    }

    @Test
    void namesTheTsdbAsTheStageOfARejectedWriteAndCutsLongPayloads() {
        DeadLetter letter = deadLetters.create("0123456789abcdef".getBytes(StandardCharsets.UTF_8), "not/our/topic",
                new CamelInfluxDb2Exception(new TsdbRefusedException("bad line", null)));

        assertEquals("tsdb", letter.stage());
        assertEquals("unknown", letter.node());
        assertEquals("0123456789…", letter.payload());
        assertEquals(16, letter.size());
    }

    @Test
    void countsEveryDeadLetterAsAMetric() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry metrics = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        DeadLetters counted = new DeadLetters(100);
        counted.bindMetrics(metrics);

        counted.create(new byte[0], "t", new InvalidMessageException("a"));
        counted.create(new byte[0], "t", new InvalidMessageException("b"));

        assertEquals(2.0, metrics.get("iiot.dead.letters").functionCounter().count());
    }

    @Test
    void writesOnePointTaggedBySiteNodeAndStage() {
        DeadLetter letter = deadLetters.create(new byte[]{1}, "iiot/v1/s/n/data", new InvalidMessageException("r"));

        String line = deadLetters.toPoints(letter).getInfluxPoints().get(0).toLineProtocol();

        assertTrue(line.startsWith("deadletter,node=n,site=s,stage=validation "), line);
        assertTrue(line.contains("reason=\"r\""), line);
        assertTrue(line.endsWith(" 1000000"), line);
    }

    @Test
    void namesNotAdmittedMakeNoSeriesOfTheirOwn() throws Exception {
        ChannelCatalog catalog = new ChannelCatalog(List.of(), new IngestLimits(1, 1, 10, 10, 10));
        catalog.admit(NodeMessage.live("s", "n", 1, 1000, List.of(Reading.good("c", 1.0, "bar", null))));
        deadLetters.tagOnlyAdmitted(catalog);
        Set<String> series = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            // refused by a node limit, or invalid before ever being admitted: a new name each time
            for (String topic : List.of("iiot/v1/s/flood-" + i + "/data", "iiot/v1/site-" + i + "/n/status")) {
                String line = line(deadLetters.create(new byte[]{1}, topic,
                        new LimitExceededException(IngestLimits.NODES_PER_SITE, "limit")));
                series.add(line.substring(0, line.indexOf(' ')));
                assertTrue(line.contains("sender=\"" + topic.split("/")[2] + "/" + topic.split("/")[3] + "\""), line);
            }
        }
        assertEquals(2, series.size(), series.size() + " series, e.g. " + series.stream().limit(3).toList());
        assertEquals(Set.of("deadletter,node=_not-admitted,site=s,stage=limit",
                "deadletter,node=_not-admitted,site=_not-admitted,stage=limit"), series);
        String admitted = line(deadLetters.create(new byte[]{1}, "iiot/v1/s/n/data", new InvalidMessageException("r")));
        assertTrue(admitted.startsWith("deadletter,node=n,site=s,stage=validation "), admitted);
        String other = line(deadLetters.create(new byte[]{1}, "Unmapped_Topic", new InvalidMessageException("r")));
        assertTrue(other.startsWith("deadletter,node=unknown,site=unknown,stage=validation "), other);
        assertFalse(other.contains("sender="), other);
    }

    private String line(DeadLetter letter) {
        return deadLetters.toPoints(letter).getInfluxPoints().get(0).toLineProtocol();
    }

    @Test
    void anOversizedPayloadIsCutBeforeItIsDecoded() {
        byte[] huge = new byte[8 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'x');

        DeadLetter letter = deadLetters.create(huge, "iiot/v1/s/n/data", new InvalidMessageException("over the limit"));

        assertEquals("x".repeat(10) + "…", letter.payload());
        assertEquals(huge.length, letter.size());
    }
}
