package io.iiotroutes.sparkplug;

import io.iiotroutes.codec.InvalidMessageException;
import io.iiotroutes.edge.TestClock;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import io.iiotroutes.server.LimitExceededException;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertyDataType;
import org.eclipse.tahu.message.model.SparkplugMeta;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.iiotroutes.sparkplug.SparkplugPayloads.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host's mapping and protocol rules, fed with payloads made by Tahu's encoder. */
class SparkplugHostTest {

    static final long T0 = 1_763_928_000_000L;
    static final String NBIRTH = "spBv1.0/plant/NBIRTH/gw1";
    static final String NDATA = "spBv1.0/plant/NDATA/gw1";
    static final String NDEATH = "spBv1.0/plant/NDEATH/gw1";

    final TestClock clock = new TestClock(T0 + 60_000);
    final List<String> rebirths = new ArrayList<>();
    int stateRepublished;
    final SparkplugHost.Commands commands = new SparkplugHost.Commands() {
        @Override
        public void requestRebirth(String group, String edgeNode) {
            rebirths.add(group + "/" + edgeNode);
        }

        @Override
        public void republishState() {
            stateRepublished++;
        }
    };

    SparkplugHost host(SparkplugHost.Limits limits) {
        return new SparkplugHost("iiot-routes", limits, commands, clock);
    }

    static SparkplugHost.Limits limits() {
        return new SparkplugHost.Limits(100, 10, 50, 1000, 100, 65536, 5000);
    }

    static byte[] birth(long bdSeq) {
        return payload().seq(0).at(T0).bdSeq(bdSeq).rebirthMetric()
                .birth("Inputs/Pressure", 1, MetricDataType.Float, 4.5f, "bar")
                .birth("Inputs/Level", 2, MetricDataType.Int32, 37, "%")
                .birth("Pump running", 3, MetricDataType.Boolean, true, null)
                .birth("Properties/Serial", 4, MetricDataType.String, "SN-1", null)
                .bytes();
    }

    @Test
    void birthAndDataThroughAliasesBecomeNodeMessages() throws Exception {
        SparkplugHost host = host(limits());
        SparkplugHost.Outcome born = host.receive(birth(7), NBIRTH);
        assertEquals(List.of(new SparkplugHost.NodeStatus("plant", "gw1", true, T0)), born.statuses());
        assertEquals(1, born.messages().size());
        NodeMessage first = born.messages().get(0);
        assertEquals(new NodeMessage(1, "plant", "gw1", 0, T0, false, List.of(
                new Reading("Inputs.Pressure", 4.5, "bar", null, Quality.GOOD, null),
                new Reading("Inputs.Level", 37.0, "%", null, Quality.GOOD, null),
                new Reading("Pump_running", 1.0, "", null, Quality.GOOD, null))), first);

        // DATA: aliases only, no datatypes; two timestamps, one historical, a STALE quality
        byte[] data = payload().seq(1).at(T0 + 2000)
                .alias(1, MetricDataType.Float, 5.25f, T0 + 1000)
                .metric(new Metric.MetricBuilder(2L, MetricDataType.Int32, 40).timestamp(new java.util.Date(T0 + 1000))
                        .properties(SparkplugPayloads.properties(SparkplugMeta.QUALITY_PROP_NAME, PropertyDataType.Int32, 500)))
                .metric(new Metric.MetricBuilder(1L, MetricDataType.Float, 3.0f).timestamp(new java.util.Date(T0 - 5000))
                        .isHistorical(true))
                .bytes(true);
        SparkplugHost.Outcome outcome = host.receive(data, NDATA);
        assertEquals(List.of(), outcome.statuses());
        assertEquals(List.of(
                new NodeMessage(1, "plant", "gw1", 1, T0 + 1000, false, List.of(
                        new Reading("Inputs.Pressure", 5.25, "bar", null, Quality.GOOD, null),
                        new Reading("Inputs.Level", 40.0, "%", null, Quality.UNCERTAIN, "Sparkplug quality STALE (500)"))),
                new NodeMessage(1, "plant", "gw1", 2, T0 - 5000, true, List.of(
                        new Reading("Inputs.Pressure", 3.0, "bar", null, Quality.GOOD, null)))), outcome.messages());
        assertEquals(List.of(), rebirths);
    }

    @Test
    void aSeqGapRefusesAndAsksForARebirthUntilTheNodeIsBornAgain() throws Exception {
        SparkplugHost host = host(limits());
        host.receive(birth(1), NBIRTH);
        host.receive(payload().seq(1).alias(1, MetricDataType.Float, 1f, null).bytes(true), NDATA);
        InvalidMessageException gap = assertThrows(InvalidMessageException.class,
                () -> host.receive(payload().seq(4).alias(1, MetricDataType.Float, 2f, null).bytes(true), NDATA));
        assertEquals("NDATA of plant/gw1: seq 4 where 2 was due (2 message(s) lost or out of order); rebirth requested",
                gap.getMessage());
        assertEquals(List.of("plant/gw1"), rebirths);
        // in step again, but stale until the new birth: refused, no second request within the interval
        InvalidMessageException stale = assertThrows(InvalidMessageException.class,
                () -> host.receive(payload().seq(5).alias(1, MetricDataType.Float, 2f, null).bytes(true), NDATA));
        assertTrue(stale.getMessage().contains("out of step (seq 4 where 2 was due)"), stale.getMessage());
        assertEquals(1, rebirths.size());
        clock.advance(5000);
        assertThrows(InvalidMessageException.class,
                () -> host.receive(payload().seq(6).alias(1, MetricDataType.Float, 2f, null).bytes(true), NDATA));
        assertEquals(2, rebirths.size(), "asked again once the interval passed");
        // the rebirth: taken, and the numbering of our model went on, the lost and refused ones counted as missing
        SparkplugHost.Outcome reborn = host.receive(birth(1), NBIRTH);
        assertEquals(7, reborn.messages().get(0).seq(), "0 birth, 1 data, 2-3 lost, 4 gap, 5-6 refused, 7 birth");
        assertEquals(1, host.receive(payload().seq(1).alias(1, MetricDataType.Float, 9f, null).bytes(true), NDATA)
                .messages().size());
    }

    @Test
    void seqWrapsFrom255ToZero() throws Exception {
        SparkplugHost host = host(limits());
        host.receive(payload().seq(254).at(T0).bdSeq(0).birth("a", 1, MetricDataType.Double, 1.0, null).bytes(), NBIRTH);
        host.receive(payload().seq(255).alias(1, MetricDataType.Double, 2.0, null).bytes(true), NDATA);
        assertEquals(1, host.receive(payload().seq(0).alias(1, MetricDataType.Double, 3.0, null).bytes(true), NDATA)
                .messages().size());
        assertEquals(List.of(), rebirths);
    }

    @Test
    void dataBeforeAnyBirthIsRefusedAndAnsweredWithARebirthRequest() {
        SparkplugHost host = host(limits());
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> host.receive(payload().seq(3).alias(1, MetricDataType.Float, 2f, null).bytes(true), NDATA));
        assertEquals("NDATA of plant/gw1 before its edge node's NBIRTH (no birth certificate): rebirth requested",
                e.getMessage());
        assertEquals(List.of("plant/gw1"), rebirths);
    }

    @Test
    void anUnknownAliasRefusesTheMessageAndAsksForARebirth() throws Exception {
        SparkplugHost host = host(limits());
        host.receive(birth(1), NBIRTH);
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> host.receive(payload().seq(1)
                .alias(1, MetricDataType.Float, 2f, null).alias(99, MetricDataType.Float, 3f, null).bytes(true), NDATA));
        assertEquals("NDATA of plant/gw1: alias 99 not in its birth certificate; rebirth requested", e.getMessage());
        assertEquals(List.of("plant/gw1"), rebirths);
        // the seq went on: the next message is in step
        assertEquals(1, host.receive(payload().seq(2).alias(1, MetricDataType.Float, 2f, null).bytes(true), NDATA)
                .messages().size());
    }

    @Test
    void deathWithTheBirthsBdSeqTakesTheNodeAndItsDevicesOffline() throws Exception {
        SparkplugHost host = host(limits());
        host.receive(birth(5), NBIRTH);
        SparkplugHost.Outcome device = host.receive(payload().seq(1).at(T0 + 10)
                .birth("Temp", 1, MetricDataType.Double, 21.5, "degC").bytes(), "spBv1.0/plant/DBIRTH/gw1/press-3");
        assertEquals(List.of(new SparkplugHost.NodeStatus("plant", "gw1.press-3", true, T0 + 10)), device.statuses());
        assertEquals("gw1.press-3", device.messages().get(0).node());
        assertEquals(List.of(new Reading("Temp", 21.5, "degC", null, Quality.GOOD, null)), device.messages().get(0).readings());
        assertEquals(22.0, host.receive(payload().seq(2).alias(1, MetricDataType.Double, 22.0, T0 + 20).bytes(true),
                "spBv1.0/plant/DDATA/gw1/press-3").messages().get(0).readings().get(0).value());

        // the will of an older connection: ignored
        assertEquals(SparkplugHost.Outcome.NOTHING, host.receive(payload().bdSeq(4).bytes(), NDEATH));
        assertEquals(1, host.staleDeathsIgnored());
        assertTrue(host.isOnline("plant", "gw1"));

        SparkplugHost.Outcome death = host.receive(payload().bdSeq(5).bytes(), NDEATH);
        assertEquals(List.of(new SparkplugHost.NodeStatus("plant", "gw1", false, clock.millis()),
                new SparkplugHost.NodeStatus("plant", "gw1.press-3", false, clock.millis())), death.statuses());
        assertFalse(host.isOnline("plant", "gw1"));
        assertEquals(0, host.metricsKept());
    }

    @Test
    void deviceDeathTakesTheDeviceOffline() throws Exception {
        SparkplugHost host = host(limits());
        host.receive(birth(5), NBIRTH);
        host.receive(payload().seq(1).birth("Temp", 1, MetricDataType.Double, 21.5, null).bytes(), "spBv1.0/plant/DBIRTH/gw1/d1");
        SparkplugHost.Outcome death = host.receive(payload().seq(2).bytes(), "spBv1.0/plant/DDEATH/gw1/d1");
        assertEquals(List.of(new SparkplugHost.NodeStatus("plant", "gw1.d1", false, clock.millis())), death.statuses());
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> host.receive(
                payload().seq(3).alias(1, MetricDataType.Double, 1.0, null).bytes(true), "spBv1.0/plant/DDATA/gw1/d1"));
        assertEquals("DDATA of plant/gw1/d1 before its DBIRTH (no birth certificate): rebirth requested", e.getMessage());
    }

    @Test
    void limitsRefuseWithTheirSetting() throws Exception {
        SparkplugHost host = host(new SparkplugHost.Limits(2, 1, 3, 5, 2, 65536, 5000));
        LimitExceededException big = assertThrows(LimitExceededException.class, () -> host.receive(birth(1), NBIRTH));
        assertTrue(big.getMessage().contains("over iiot.sparkplug.max-metrics-per-birth (3)"), big.getMessage());
        // a refused birth: DATA refused with its reason, no rebirth asked (it would be refused again)
        InvalidMessageException data = assertThrows(InvalidMessageException.class,
                () -> host.receive(payload().seq(1).alias(1, MetricDataType.Float, 1f, null).bytes(true), NDATA));
        assertTrue(data.getMessage().contains("the last NBIRTH of plant/gw1 was refused"), data.getMessage());
        assertEquals(List.of(), rebirths);

        host.receive(payload().seq(0).bdSeq(1).birth("a", 1, MetricDataType.Double, 1.0, null).bytes(), NBIRTH);
        host.receive(payload().seq(1).birth("b", 1, MetricDataType.Double, 1.0, null).bytes(), "spBv1.0/plant/DBIRTH/gw1/d1");
        LimitExceededException devices = assertThrows(LimitExceededException.class, () -> host.receive(
                payload().seq(2).birth("b", 1, MetricDataType.Double, 1.0, null).bytes(), "spBv1.0/plant/DBIRTH/gw1/d2"));
        assertTrue(devices.getMessage().contains("iiot.sparkplug.max-devices-per-node"), devices.getMessage());
        LimitExceededException identities = assertThrows(LimitExceededException.class, () -> host.receive(
                payload().seq(0).bdSeq(0).bytes(), "spBv1.0/plant/NBIRTH/gw2"));
        assertTrue(identities.getMessage().contains("iiot.sparkplug.max-identities"), identities.getMessage());
        InvalidMessageException timestamps = assertThrows(InvalidMessageException.class, () -> host.receive(payload().seq(3)
                .alias(1, MetricDataType.Double, 1.0, T0).alias(1, MetricDataType.Double, 2.0, T0 + 1)
                .alias(1, MetricDataType.Double, 3.0, T0 + 2).bytes(true), NDATA));
        assertTrue(timestamps.getMessage().contains("iiot.sparkplug.max-timestamps-per-message"), timestamps.getMessage());
    }

    @Test
    void idsThatAreNotOursAndGarbageAreRefusedWithAReason() {
        SparkplugHost host = host(limits());
        assertThrows(InvalidMessageException.class, () -> host.receive(birth(1), "spBv1.0/my plant/NBIRTH/gw1"));
        assertThrows(InvalidMessageException.class, () -> host.receive(birth(1), "iiot/v1/a/b/data"));
        InvalidMessageException garbage = assertThrows(InvalidMessageException.class,
                () -> host.receive("not protobuf at all".getBytes(StandardCharsets.UTF_8), NBIRTH));
        assertTrue(garbage.getMessage().startsWith("NBIRTH of plant/gw1 is not a Sparkplug B payload"), garbage.getMessage());
        InvalidMessageException noType = assertThrows(InvalidMessageException.class, () -> host.receive(
                payload().seq(0).bdSeq(1).alias(1, MetricDataType.Float, 1f, null).bytes(true), NBIRTH));
        assertTrue(noType.getMessage().contains("has no datatype") || noType.getMessage().contains("without a name"),
                noType.getMessage());
    }

    @Test
    void ourOwnStateSayingOfflineIsAnsweredWithTheBirthAgain() throws Exception {
        SparkplugHost host = host(limits());
        host.receive("{\"online\":false,\"timestamp\":1}".getBytes(StandardCharsets.UTF_8), "spBv1.0/STATE/iiot-routes");
        host.receive("{\"online\":false,\"timestamp\":1}".getBytes(StandardCharsets.UTF_8), "spBv1.0/STATE/other-host");
        host.receive("{\"online\":true,\"timestamp\":1}".getBytes(StandardCharsets.UTF_8), "spBv1.0/STATE/iiot-routes");
        assertEquals(1, stateRepublished);
        // commands, ours included, are not data
        assertEquals(SparkplugHost.Outcome.NOTHING, host.receive(SparkplugHostClient.rebirthRequest(T0), "spBv1.0/plant/NCMD/gw1"));
    }
}
