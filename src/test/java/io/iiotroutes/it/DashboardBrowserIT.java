package io.iiotroutes.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in real headless Chromium against the demo (embedded broker and TSDB, simulated edge nodes from test
 * node files): live values, a stopped node shown offline, a history chart, an alarm raised and acknowledged, a
 * WebSocket reconnect without gap or duplicate. One demo and one browser for the class; screenshots under
 * target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static IiotApplication app;
    private static Browser browser;
    private static WebDriver page;
    private static String base;
    private static String tsdbUrl;

    @BeforeAll
    static void startDemoAndBrowser() throws Exception {
        Path dir = Files.createTempDirectory("iiot-browser-it-");
        // b-1: a pressure that sits above its H limit (alarm at once), and a fast-moving level for the charts
        Files.writeString(dir.resolve("b-1.yaml"), """
                site: it
                node: b-1
                driver: { type: simulated, seed: 7 }
                groups:
                  - name: fast
                    periodMs: 500
                    channels:
                      - id: ai1
                        signal: 4-20mA
                        range: [0, 10]
                        unit: bar
                        heartbeatMs: 2000
                        simulation: { shape: constant, value: 18 }
                        alarms: { hh: 9.5, h: 8, hysteresis: 0.2 }
                      - id: ai2
                        signal: 0-10V
                        range: [0, 100]
                        unit: "%"
                        simulation: { shape: sine, min: 2, max: 8, periodS: 20, noise: 0.01 }
                """);
        Files.writeString(dir.resolve("b-2.yaml"), """
                site: it
                node: b-2
                driver: { type: simulated, seed: 8 }
                groups:
                  - name: slow
                    periodMs: 1000
                    channels:
                      - id: ai1
                        signal: 0-10V
                        range: [0, 10]
                        unit: V
                        simulation: { shape: sine, min: 2, max: 8, periodS: 30, noise: 0.01 }
                        faults: [ { type: read-error, afterS: 3, durationS: 3, everyS: 12 } ]
                """);
        TestServer server = TestServer.of(Mode.DEMO, dir.resolve("data"))
                .with("iiot.edge.nodes", dir.resolve("b-1.yaml") + "," + dir.resolve("b-2.yaml"));
        app = server.start();
        base = "http://localhost:" + server.webPort();
        tsdbUrl = app.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
        browser = new Browser();
        page = browser.driver();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        app.stop();
    }

    private static String text(String css) {
        List<WebElement> found = page.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) page).executeScript(script, args);
    }

    private static JsonNode api(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    @Test
    @Order(1)
    void liveValuesUpdateWithUnitAndQuality() {
        page.get(base + "/");
        String value = "section.node[data-node='b-1'] tr[data-channel='ai2'] td.value";
        await().atMost(Duration.ofSeconds(60)).until(() -> text(value).matches("-?\\d+\\.\\d+"));
        assertEquals("%", text("section.node[data-node='b-1'] tr[data-channel='ai2'] td.unit"));
        assertEquals("GOOD", text("section.node[data-node='b-1'] tr[data-channel='ai2'] td.quality"));
        assertEquals("live", text("#connection"));
        Set<String> seen = new HashSet<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            seen.add(text(value));
            return seen.size() >= 3;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> text("section.node[data-node='b-1'] .status").equals("ONLINE")
                || text("section.node[data-node='b-1'] .status").equalsIgnoreCase("online"));
        browser.screenshot("dashboard-overview");
    }

    @Test
    @Order(2)
    void anAlarmIsRaisedAndAnOperatorAcknowledgesIt() throws Exception {
        page.get(base + "/#/alarms");
        String row = "#active-alarms tr.alarm[data-node='b-1'][data-channel='ai1']";
        await().atMost(Duration.ofSeconds(30)).until(() -> !page.findElements(By.cssSelector(row + " button.ack")).isEmpty());
        assertTrue(text(row).contains("H"), text(row));
        assertTrue(text(row).contains("unacknowledged"), text(row));
        assertEquals("1", text("#alarm-count"));
        browser.screenshot("dashboard-alarm-raised");

        page.findElement(By.cssSelector(row + " button.ack")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> text(row).contains("acknowledged")
                && !text(row).contains("unacknowledged"));
        JsonNode active = api("/api/alarms").get("active").get(0);
        assertTrue(active.get("acknowledged").asBoolean());
        assertEquals("ai1", active.get("channel").asText());
        // the overview marks the channel in alarm
        page.get(base + "/");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                text("section.node[data-node='b-1'] tr[data-channel='ai1'] td.alarm-state").equals("H"));
    }

    @Test
    @Order(3)
    void aNodeDetailChartLoadsHistoryAndContinuesLive() throws Exception {
        // some history before the chart is opened
        await().atMost(Duration.ofSeconds(30)).until(() -> TsdbRows.count(tsdbUrl, "node = 'b-1' AND channel = 'ai2'") >= 20);
        long storedBefore = TsdbRows.count(tsdbUrl, "node = 'b-1' AND channel = 'ai2'");
        page.get(base + "/#/node/it/b-1");
        String chart = ".chart[data-channel='ai2']";
        await().atMost(Duration.ofSeconds(20)).until(() -> !page.findElements(By.cssSelector(chart + " canvas")).isEmpty()
                && page.findElement(By.cssSelector(chart)).getAttribute("data-points") != null);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Long.parseLong(page.findElement(By.cssSelector(chart)).getAttribute("data-points")) >= storedBefore);
        long shown = Long.parseLong(page.findElement(By.cssSelector(chart)).getAttribute("data-points"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Long.parseLong(page.findElement(By.cssSelector(chart)).getAttribute("data-points")) > shown);
        assertTrue(text(".chart-panel[data-channel='ai1'] .limits").contains("H 8"), text(".chart-panel[data-channel='ai1'] .limits"));
        browser.screenshot("dashboard-node-detail");
    }

    @Test
    @Order(3)
    @SuppressWarnings("unchecked")
    void trendsAreStepsOverTheChosenWindowWithNonGoodQualityShaded() throws Exception {
        page.get(base + "/#/node/it/b-2");
        // a read-error stretch of b-2 has been stored (BAD readings) before the page is opened
        await().atMost(Duration.ofSeconds(40)).until(() -> TsdbRows.count(tsdbUrl, "node = 'b-2' AND quality = 'BAD'") >= 1);
        page.navigate().refresh();
        await().atMost(Duration.ofSeconds(20)).until(() -> !((List<Object>) js("return window.iiot.charts()")).isEmpty());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (Object chart : (List<Object>) js("return window.iiot.charts()")) {
                Map<String, Object> c = (Map<String, Object>) chart;
                double span = ((Number) c.get("xMax")).doubleValue() - ((Number) c.get("xMin")).doubleValue();
                double lag = System.currentTimeMillis() / 1000.0 - ((Number) c.get("xMax")).doubleValue();
                assertTrue(Math.abs(span - 15 * 60) < 2, c + ": the chart spans the chosen 15 min, not its own points");
                assertTrue(lag < 5, c + ": the window ends now");
                assertEquals(Boolean.TRUE, c.get("stepped"), c + ": report-by-exception data drawn as steps");
                assertTrue(((Number) c.get("notGood")).intValue() >= 1, c + ": the BAD stretch is shaded");
            }
        });
        browser.screenshot("dashboard-trend-steps-quality");
    }

    @Test
    @Order(4)
    @SuppressWarnings("unchecked")
    void aReconnectResumesFromTheLastPointWithoutGapOrDuplicate() {
        page.get(base + "/");
        await().atMost(Duration.ofSeconds(20)).until(() -> seriesTimestamps().size() >= 5);
        long before = ((Number) js("return window.iiot.reconnects()")).longValue();
        long lastBeforeDrop = seriesTimestamps().get(seriesTimestamps().size() - 1);

        js("window.iiot.dropConnection(4000)");
        await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) js("return window.iiot.reconnects()")).longValue() > before
                && "live".equals(text("#connection")));
        // readings sent while the page was away (2 per second for 4 s) must be back, once each
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<Long> ts = seriesTimestamps();
            long last = ts.get(ts.size() - 1);
            List<Long> stored = storedTimestamps(lastBeforeDrop, last);
            List<Long> shown = ts.stream().filter(t -> t >= lastBeforeDrop && t <= last).toList();
            return stored.size() >= 8 && shown.equals(stored);
        });
        List<Long> ts = seriesTimestamps();
        assertEquals(new HashSet<>(ts).size(), ts.size(), "no duplicate point");
        List<Long> sorted = new ArrayList<>(ts);
        sorted.sort(null);
        assertEquals(sorted, ts, "points in time order");
        assertTrue(((Map<String, Object>) js("return window.iiot.bufferSizes()")).values().stream()
                .allMatch(n -> ((Number) n).longValue() <= 20000), "bounded buffers");
    }

    @Test
    @Order(5)
    void aStoppedNodeIsShownOffline() throws Exception {
        page.get(base + "/");
        String status = "section.node[data-node='b-2'] .status";
        await().atMost(Duration.ofSeconds(30)).until(() -> text(status).equalsIgnoreCase("online"));

        app.context().getRouteController().stopRoute("edge-acquisition-b-2");
        app.runtime().edgePublishers().get(1).close(); // publishes the node's "offline" status, as at shutdown

        await().atMost(Duration.ofSeconds(15)).until(() -> text(status).equalsIgnoreCase("offline"));
        assertTrue(page.findElement(By.cssSelector("section.node[data-node='b-2']")).getAttribute("class").contains("offline"));
        assertEquals("offline", api("/api/nodes").findValues("status").stream()
                .map(JsonNode::asText).filter(s -> s.equals("offline")).findFirst().orElse(""));
        browser.screenshot("dashboard-node-offline");
    }

    @SuppressWarnings("unchecked")
    private static List<Long> seriesTimestamps() {
        Map<String, Object> series = (Map<String, Object>) js("return window.iiot.series('it', 'b-1', 'ai2')");
        return ((List<Object>) series.get("ts")).stream().map(t -> ((Number) t).longValue()).toList();
    }

    private static List<Long> storedTimestamps(long from, long to) {
        return TsdbRows.query(tsdbUrl, "SELECT timestamp FROM reading WHERE node = 'b-1' AND channel = 'ai2' AND timestamp >= '"
                        + Instant.ofEpochMilli(from) + "' AND timestamp <= '" + Instant.ofEpochMilli(to) + "' ORDER BY timestamp")
                .stream().map(r -> Instant.parse((String) r.get("timestamp")).toEpochMilli()).toList();
    }
}
