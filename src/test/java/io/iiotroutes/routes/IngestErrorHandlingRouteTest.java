package io.iiotroutes.routes;

import com.influxdb.exceptions.InfluxException;
import io.iiotroutes.app.Mode;
import io.iiotroutes.app.config.IiotConfiguration;
import io.iiotroutes.app.config.IiotSettings;
import io.iiotroutes.app.config.ReplicasConfiguration;
import io.iiotroutes.app.config.ServerStateConfiguration;
import io.iiotroutes.codec.JsonMessageCodec;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.server.AckTracker;
import io.iiotroutes.server.DeadLetter;
import io.iiotroutes.server.DeadLetters;
import io.iiotroutes.tsdb.Lines;
import io.iiotroutes.tsdb.TsdbRefusedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.support.processor.PredicateValidationException;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's error policy on the real route files (routes/error-handling, ingest, deadletter, mqtt) and the real settings
 * (the server's properties files, as the application reads them), with the server state of the real configurations,
 * the broker replaced by a direct: endpoint, the TSDB write by a stub batcher, and what server-mqtt-publish would
 * send and the TSDB by stand-ins: what an outage IT shows in 30 s, in milliseconds; and that a node hears of a message (acknowledgement) only
 * once it is stored. The live broadcast and alarm sub-routes are empty stand-ins. A policy that retried for good
 * fails on the class's timeout instead of hanging the build.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IngestErrorHandlingRouteTest extends CamelTestSupport {

    private static final String TOPIC = TopicContract.dataTopic("s", "n");
    private static final int INTERNAL_RETRIES = 2;

    /** The TSDB write as the ingest route sees it: one future per message; what it answers is up to the test. */
    public static final class StubBatcher {
        final AtomicInteger writes = new AtomicInteger();
        volatile IntFunction<CompletableFuture<Void>> answer = n -> CompletableFuture.completedFuture(null);

        public CompletableFuture<Void> write(Lines lines) {
            return answer.apply(writes.incrementAndGet());
        }
    }

    @TempDir
    Path dataDir;
    private final StubBatcher batcher = new StubBatcher();
    private final List<DeadLetter> letters = new ArrayList<>();
    /** What server-mqtt-publish would have sent: topic, and whether the received message's MQTT 5 properties went along. */
    private final List<String> published = new ArrayList<>();
    private DeadLetters deadLetters;
    private AckTracker acks;

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getPropertiesComponent().setLocation(
                "classpath:" + Mode.SERVER.propertiesResource() + ",classpath:iiot-common.properties");
        // only what this test must change: short retry delays, fewer internal retries, the TSDB endpoint, the data
        // folder; and the contract's root, which the application sets (IiotRuntime)
        Properties overrides = new Properties();
        overrides.put(TopicContract.ROOT_PROPERTY, TopicContract.ROOT);
        overrides.put("iiot.server.retry-delay-ms", "5");
        overrides.put("iiot.server.retry-max-delay-ms", "20");
        overrides.put("iiot.server.internal-error-retries", Integer.toString(INTERNAL_RETRIES));
        overrides.put("iiot.tsdb.endpoint", "mock:tsdb");
        overrides.put("iiot.data.dir", dataDir.toString());
        context.getPropertiesComponent().setOverrideProperties(overrides);
        context.getRegistry().bind("tsdbBatcher", batcher);
        // the real configurations of the server's state, without a TSDB to ask for history
        IiotSettings settings = IiotSettings.of(context, true);
        IiotConfiguration.prepare(context, new ReplicasConfiguration(settings));
        IiotConfiguration.prepare(context, new ServerStateConfiguration(settings, new SimpleMeterRegistry(), () -> null));
        deadLetters = context.getRegistry().lookupByNameAndType("deadLetters", DeadLetters.class);
        acks = context.getRegistry().lookupByNameAndType("ackTracker", AckTracker.class);
        return context;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        List<RoutesBuilder> builders = new ArrayList<>();
        for (String file : List.of("error-handling", "ingest", "deadletter", "mqtt")) {
            builders.addAll(PluginHelper.getRoutesLoader(context).findRoutesBuilders(
                    ResourceHelper.resolveResource(context, "file:routes/" + file + ".camel.yaml")));
        }
        builders.add(new RouteBuilder() {
            @Override
            public void configure() {
                // stand-ins for the sub-routes of other files: these tests are about storing and refusing
                from("direct:server-live-broadcast").routeId("server-live-broadcast").log("live: ${body}");
                from("direct:server-alarm-evaluate").routeId("server-alarm-evaluate").log("alarms: ${body}");
            }
        });
        return builders.toArray(RoutesBuilder[]::new);
    }

    @BeforeEach
    void replaceTheBroker() throws Exception {
        AdviceWith.adviceWith(context, "server-ingest-receive", route -> route.replaceFromWith("direct:receive"));
        // what would be published, instead of a broker
        AdviceWith.adviceWith(context, "server-mqtt-publish", route -> route.weaveByToUri("paho-mqtt5:*").replace()
                .process(e -> {
                    letters.add(e.getProperty("iiotDeadLetter", DeadLetter.class));
                    published.add(e.getIn().getHeader("CamelPahoMqtt5OverrideTopic", String.class)
                            + (e.getIn().getHeader("CamelPahoMqtt5MsgProperties") == null ? "" : " with the received properties"));
                }));
        context.start();
    }

    private static byte[] good(long seq) {
        return new JsonMessageCodec().encode(NodeMessage.live("s", "n", seq, System.currentTimeMillis(),
                List.of(Reading.good("ai1", 1.0, "bar", null))));
    }

    private Exchange receive(byte[] payload) {
        return template.request("direct:receive", e -> {
            e.getIn().setBody(payload);
            e.getIn().setHeader("CamelMqttTopic", TOPIC);
            // as camel-paho-mqtt5's consumer sets it: the properties of the message received
            e.getIn().setHeader("CamelPahoMqtt5MsgProperties", new MqttProperties());
        });
    }

    @Test
    void aPayloadThatBreaksTheContractIsDeadLetteredAtOnceAndCompletes() throws Exception {
        MockEndpoint tsdb = getMockEndpoint("mock:tsdb");
        tsdb.expectedMessageCount(1);

        Exchange done = receive("{".getBytes());

        assertNull(done.getException(), "handled: the message is acknowledged, the session goes on");
        tsdb.assertIsSatisfied();
        assertEquals(1, letters.size());
        assertEquals("validation", letters.get(0).stage());
        assertTrue(letters.get(0).reason().startsWith("malformed JSON"), letters.get(0).reason());
        // Paho writes the topic alias it picks into the properties it sends: the received ones stay behind
        assertEquals(List.of("iiot/v1/_deadletter"), published);
        assertEquals(0, batcher.writes.get(), "nothing written");
        assertTrue(acks.drain().isEmpty(), "a dead letter is not acknowledged as stored");
    }

    @Test
    void pointsTheTsdbRefusesForGoodAreDeadLetteredAtOnceAfterOneWriteAndAcknowledged() throws Exception {
        batcher.answer = n -> CompletableFuture.failedFuture(new TsdbRefusedException("field type conflict", null));
        MockEndpoint tsdb = getMockEndpoint("mock:tsdb");
        tsdb.expectedMessageCount(1);   // the dead letter's own point

        Exchange done = receive(good(4));

        assertNull(done.getException(), "handled: the message is acknowledged, the session goes on");
        assertEquals(1, batcher.writes.get(), "refused for good: written once, never again");
        tsdb.assertIsSatisfied();
        assertEquals(1, letters.size());
        assertEquals("tsdb", letters.get(0).stage());
        assertTrue(letters.get(0).reason().contains("field type conflict"), letters.get(0).reason());
        assertEquals(4L, acks.drain().get(0).ranges().get(0)[0], "dead-lettered with its reason: the node need not send it again");
    }

    @Test
    void anUnavailableTsdbIsRetriedUntilItAnswersAndNothingIsDeadLettered() {
        batcher.answer = n -> n <= 5
                ? CompletableFuture.failedFuture(new InfluxException(new ConnectException("Connection refused")))
                : CompletableFuture.completedFuture(null);

        Exchange done = receive(good(1));

        assertNull(done.getException());
        assertEquals(6, batcher.writes.get(), "five failed attempts, then the write that worked");
        assertTrue(letters.isEmpty(), "an outage never dead-letters");
        assertEquals(0, deadLetters.count());
    }

    @Test
    void aPoisonMessageIsDeadLetteredAfterItsRetries() {
        batcher.answer = n -> CompletableFuture.failedFuture(new IllegalStateException("bug " + n));

        Exchange done = receive(good(2));

        assertNull(done.getException(), "dead-lettered, so acknowledged");
        assertEquals(1 + INTERNAL_RETRIES, batcher.writes.get());
        assertEquals(1, letters.size());
        assertEquals("internal", letters.get(0).stage());
        assertEquals("internal error: java.lang.IllegalStateException: bug 3", letters.get(0).reason());
        assertEquals(2L, acks.drain().get(0).ranges().get(0)[0], "dead-lettered with its reason: the node need not send it again");
    }

    @Test
    void aMessageCompletesOnlyOnceTheWriteHoldingItIsCommitted() {
        CompletableFuture<Void> commit = new CompletableFuture<>();
        batcher.answer = n -> commit;

        CompletableFuture<Exchange> inFlight = template.asyncSend("direct:receive", e -> {
            e.getIn().setBody(good(3));
            e.getIn().setHeader("CamelMqttTopic", TOPIC);
        });

        // the exchange's completion is what acknowledges the MQTT message (manualAcksEnabled)
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !inFlight.isDone());
        assertEquals(1, batcher.writes.get());
        assertTrue(acks.drain().isEmpty(), "nothing acknowledged to the node before the write is committed");
        commit.complete(null);
        await().atMost(Duration.ofSeconds(5)).until(inFlight::isDone);
        List<io.iiotroutes.model.Acknowledgement> acknowledged = acks.drain();
        assertEquals(1, acknowledged.size());
        assertEquals(3L, acknowledged.get(0).ranges().get(0)[0], "the node hears of seq 3 once it is stored");
        assertNull(inFlight.join().getException());
        assertFalse(inFlight.join().isFailed());
        assertTrue(letters.isEmpty());
    }

    /**
     * An outage with thousands of messages waiting (up to iiot.server.batch.max-messages are unacknowledged at once):
     * every one of them is retried until the TSDB is back, however many wait side by side. Camel's error handler
     * waits on a scheduler whose default queue takes 1,000 tasks; the 1,001st was rejected and its message hung
     * unacknowledged, which stopped the server once the broker's in-flight window was full (benchmark, issue 19).
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)   // 1,200 messages retried: seconds, not ms
    void everyOneOfThousandsOfMessagesWaitingOutAnOutageIsStoredWhenTheTsdbIsBack() throws Exception {
        AtomicBoolean tsdbUp = new AtomicBoolean();
        batcher.answer = n -> tsdbUp.get()
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new InfluxException(new ConnectException("Connection refused")));
        int messages = 1_200;
        AsyncProducer broker = AsyncProcessorConverterHelper.convert(context.getEndpoint("direct:receive").createProducer());
        broker.start();
        CountDownLatch completed = new CountDownLatch(messages);
        List<Exchange> failed = Collections.synchronizedList(new ArrayList<>());
        for (int seq = 1; seq <= messages; seq++) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getIn().setBody(good(seq));
            exchange.getIn().setHeader("CamelMqttTopic", TOPIC);
            broker.process(exchange, doneSync -> {
                if (exchange.getException() != null) {
                    failed.add(exchange);
                }
                completed.countDown();
            });
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> batcher.writes.get() >= 2 * messages);
        tsdbUp.set(true);
        assertTrue(completed.await(30, TimeUnit.SECONDS), completed.getCount() + " messages never completed");
        assertEquals(List.of(), failed.stream().map(e -> e.getException().toString()).distinct().toList());
        assertTrue(letters.isEmpty(), "an outage never dead-letters");
        broker.stop();
    }

    @Test
    void aPublishThatNamesNoTopicFailsRatherThanGoingToTheEndpointsOwn() {
        Exchange done = template.request("direct:server-mqtt-publish", e -> e.getIn().setBody("{}"));

        assertInstanceOf(PredicateValidationException.class, done.getException());
        assertTrue(published.isEmpty(), published.toString());
    }
}
