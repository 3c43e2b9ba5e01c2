package io.iiotroutes.it;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;
import io.iiotroutes.tsdb.EmbeddedQuestDb;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.influxdb2.data.Points;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What camel-influxdb2 did wrong out of the box, shown fixed against a real QuestDB that outlives the application:
 * rejected writes used to report success, and points accepted just before a stop used to be lost.
 */
class TsdbWriteSemanticsIT {

    private static final String TSDB_ENDPOINT =
            "influxdb2:tsdbClient?org=iiot&bucket=iiot&autoCreateOrg=false&autoCreateBucket=false";

    @TempDir
    static Path tsdbDir;
    private static EmbeddedQuestDb tsdb;

    @TempDir
    Path dataDir;
    private IiotApplication app;

    @BeforeAll
    static void startTsdb() {
        tsdb = new EmbeddedQuestDb(tsdbDir, "127.0.0.1", 0, 0);
        tsdb.start();
        tsdb.executeScript("questdb/schema.sql");
    }

    @AfterAll
    static void stopTsdb() {
        tsdb.stop();
    }

    @BeforeEach
    void startServer() throws Exception {
        TestServer server = TestServer.of(Mode.SERVER, dataDir)
                .with("iiot.tsdb.url", tsdb.getHttpUrl());
        app = server.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        app.stop();
    }

    /** Write transactions QuestDB has committed to table 'reading'; it commits before it acknowledges a write. */
    private static long committedWrites() {
        return ((Number) TsdbRows.query(tsdb.getHttpUrl(),
                "SELECT sequencerTxn FROM wal_tables() WHERE name = 'reading'").get(0).get("sequencerTxn")).longValue();
    }

    @Test
    void aCompletedExchangeHasItsPointsCommittedAndAStopLosesNone() throws Exception {
        ProducerTemplate template = app.context().createProducerTemplate();
        long now = System.currentTimeMillis();
        long committedBefore = committedWrites();
        for (int seq = 1; seq <= 5; seq++) {
            NodeMessage message = NodeMessage.live("it", "stop-test", seq, now + seq,
                    List.of(Reading.good("ai1", seq, "bar", null)));
            Exchange result = template.send("direct:server-ingest-store", e -> e.setProperty("iiotMessage", message));
            assertNull(result.getException());
        }
        // read at once: a buffering writer would still hold the points in memory here
        assertEquals(committedBefore + 5, committedWrites(), "each completed exchange is one committed write");

        app.stop();
        // The TSDB goes away the moment the application has stopped, as when a whole host shuts down: only points
        // already written (not merely queued in a client buffer) can be found after it restarts.
        tsdb.stop();
        tsdb.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> TsdbRows.count(tsdb.getHttpUrl(), "node = 'stop-test'") == 5);
    }

    @Test
    void aBatchTheTsdbRejectsFailsEveryExchange() {
        ProducerTemplate template = app.context().createProducerTemplate();
        long now = System.currentTimeMillis();
        for (int i = 0; i < 3; i++) {
            Point good = Point.measurement("reading").addTag("node", "reject-test").addTag("channel", "ai1")
                    .addField("value", 1.0).time(now + i, WritePrecision.MS);
            // 'value' is a DOUBLE column: a string there makes QuestDB reject the whole request
            Point bad = Point.measurement("reading").addTag("node", "reject-test").addTag("channel", "ai2")
                    .addField("value", "not a number").time(now + i, WritePrecision.MS);

            Exchange result = template.send(TSDB_ENDPOINT, e -> e.getMessage().setBody(Points.create(List.of(good, bad))));

            assertNotNull(result.getException(), "exchange " + i + " must fail, not report success");
        }
        assertEquals(0, TsdbRows.count(tsdb.getHttpUrl(), "node = 'reject-test'"));
    }
}
