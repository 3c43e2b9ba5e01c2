package io.iiotroutes.tsdb;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApi;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import com.influxdb.exceptions.InfluxException;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapter's contract at the HTTP level; the route tests show the same against a real QuestDB. */
class SynchronousWritesTest {

    private HttpServer http;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(204);
    private InfluxDBClient client;

    @BeforeEach
    void startWriteEndpoint() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/api/v2/write", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = status.get() == 204 ? new byte[0] : "{\"code\":\"invalid\",\"message\":\"bad line\"}".getBytes();
            exchange.sendResponseHeaders(status.get(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        client = SynchronousWrites.wrap(InfluxDBClientFactory.create(InfluxDBClientOptions.builder()
                .url("http://127.0.0.1:" + http.getAddress().getPort()).org("o").bucket("b").build()));
    }

    @AfterEach
    void stop() {
        client.close();
        http.stop(0);
    }

    private static Point point(double value) {
        return Point.measurement("m").addTag("t", "x").addField("v", value).time(1000L, WritePrecision.MS);
    }

    @Test
    void aWriteHasReachedTheDatabaseWhenItReturns() {
        WriteApi writeApi = client.makeWriteApi();

        writeApi.writePoints("b", "o", List.of(point(1), point(2)));

        assertEquals(List.of("m,t=x v=1.0 1000\nm,t=x v=2.0 1000"), received);
    }

    @Test
    void aRejectedWriteThrowsInsteadOfVanishing() {
        status.set(400);
        WriteApi writeApi = client.makeWriteApi();

        InfluxException e = assertThrows(InfluxException.class, () -> writeApi.writePoint("b", "o", point(1)));

        assertEquals(400, e.status());
        assertEquals(1, received.size());
    }

    @Test
    void closingLosesNothingBecauseNothingIsBuffered() {
        WriteApi writeApi = client.makeWriteApi();
        for (int i = 0; i < 5; i++) {
            writeApi.writePoint("b", "o", point(i));
        }
        writeApi.close();

        assertEquals(5, received.size());
        assertTrue(writeApi.toString().contains("Synchronous"));
    }
}
