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
import org.openqa.selenium.Dimension;
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
                      - id: ai2
                        signal: 0-10V
                        range: [0, 10]
                        unit: V
                        deadband: 0.5
                        heartbeatMs: 60000
                        simulation: { shape: step, min: 2, max: 8, periodS: 40 }
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

    /** The element's text; the page re-renders its tables on every update, so an element found may go stale: ask again. */
    private static String text(String css) {
        for (int attempt = 1; ; attempt++) {
            try {
                List<WebElement> found = page.findElements(By.cssSelector(css));
                return found.isEmpty() ? "" : found.get(0).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
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

    /**
     * What a chart drew, read back from its canvas (composited over the page's white): the curve's stroke is
     * #1565c0, the not-GOOD shading rgba(239, 108, 0, 0.16). Arguments: site, node, channel. For each span between
     * two readings wide enough to look into (12 px: a reading's dot stays out of the middle), the last one included
     * (from the last reading to now), the rows of the stroke in the column halfway: a step holds the earlier value
     * there, a straight line would be halfway between the two. For each not-GOOD stretch, the share of shaded pixels
     * in its middle column, and the same between two stretches (must be none).
     */
    private static final String DRAWN = """
            const u = window.iiot.plot(arguments[0], arguments[1], arguments[2]);
            if (!u || u.data[0].length < 2) return null;
            const b = u.bbox, left = b.left, right = b.left + b.width, top = Math.round(b.top), height = Math.round(b.height);
            const xs = u.data[0], ys = u.data[1];
            const X = (t) => u.valToPos(t, 'x', true), Y = (v) => u.valToPos(v, 'y', true);
            const column = (x) => {
              const d = u.ctx.getImageData(Math.round(x), top, 1, height).data, rows = [];
              for (let k = 0; k < d.length; k += 4) {
                const a = d[k + 3] / 255;
                rows.push([0, 1, 2].map((c) => d[k + c] * a + 255 * (1 - a)));
              }
              return rows;
            };
            const strokeRows = (x) => column(x).map((p, k) => (p[2] - p[0] > 60 ? top + k : null)).filter((k) => k !== null);
            const shaded = (x) => column(x).filter((p) => p[0] - p[2] > 15).length / height;
            const spans = [];
            for (let i = 0; i + 1 < xs.length; i++) {
              if (ys[i] === null || ys[i + 1] === null) continue;
              const x0 = X(xs[i]), x1 = X(xs[i + 1]);
              if (x0 < left + 2 || x1 > right + 0.5 || x1 - x0 < 12) continue;
              const y0 = Y(ys[i]), y1 = Y(ys[i + 1]), rows = strokeRows((x0 + x1) / 2);
              spans.push({ x0, x1, y0, y1, rows, changes: Math.abs(y1 - y0) >= 10,
                held: rows.length > 0 && rows.every((r) => Math.abs(r - y0) <= 2) });
            }
            const n = xs.length;
            const stretches = [];
            for (const [from, to] of [...(u.notGood || [])].sort((p, q) => p[0] - q[0])) {
              const a = X(Math.max(from, u.scales.x.min)), c = X(Math.min(to, u.scales.x.max));
              const lastOne = stretches[stretches.length - 1];
              if (lastOne && a <= lastOne[1] + 0.5) lastOne[1] = Math.max(lastOne[1], c); else stretches.push([a, c]);
            }
            const bands = stretches.filter(([a, c]) => c - a >= 2 && a >= left && c <= right);
            const between = [];
            for (let k = 0; k + 1 < bands.length; k++) {
              if (bands[k + 1][0] - bands[k][1] >= 8) between.push(shaded((bands[k][1] + bands[k + 1][0]) / 2));
            }
            return { spans, now: Date.now() / 1000, xMax: u.scales.x.max, right, lastX: xs[n - 1], lastY: ys[n - 1],
              lastReading: ys[n - 2], inBands: bands.map(([a, c]) => shaded((a + c) / 2)), betweenBands: between };
            """;

    @Test
    @Order(3)
    @SuppressWarnings("unchecked")
    void trendsAreStepsOverTheChosenWindowWithNonGoodQualityShaded() throws Exception {
        // a read-error stretch of b-2's ai1 (BAD readings) and a few steps of its ai2 (a square wave published only
        // when it changes, every 20 s) have been stored before the page is opened
        await().atMost(Duration.ofSeconds(90)).until(() -> TsdbRows.count(tsdbUrl, "node = 'b-2' AND quality = 'BAD'") >= 2
                && TsdbRows.count(tsdbUrl, "node = 'b-2' AND channel = 'ai2'") >= 4);
        // one chart a row (the grid's columns are at least 36rem): a 15 min window over ~950 px, a step 20 px wide
        page.manage().window().setSize(new Dimension(1100, 800));
        try {
            page.get(base + "/#/node/it/b-2");
            page.navigate().refresh();
            await().atMost(Duration.ofSeconds(20)).until(() -> ((List<Object>) js("return window.iiot.charts()")).size() == 2);
            assertChartsShareTheWindowEndingNow(15 * 60);
            assertStepsHeldUpToNowAndNonGoodShaded();
            browser.screenshot("dashboard-trend-steps-quality");

            // another window: every chart follows it
            js("const w = document.getElementById('window'); w.value = '3600000'; w.dispatchEvent(new Event('change'));");
            assertChartsShareTheWindowEndingNow(3600);
        } finally {
            page.manage().window().setSize(new Dimension(1280, 800));
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertStepsHeldUpToNowAndNonGoodShaded() {
        // steps: between two readings the earlier value is drawn, and the last one is held up to now (the right edge)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> drawn = (Map<String, Object>) js(DRAWN, "it", "b-2", "ai2");
            List<Map<String, Object>> spans = (List<Map<String, Object>>) drawn.get("spans");
            assertTrue(spans.stream().filter(sp -> Boolean.TRUE.equals(sp.get("changes"))).count() >= 2,
                    "at least 2 changes of value to look at: " + drawn);
            for (Map<String, Object> span : spans) {
                assertEquals(Boolean.TRUE, span.get("held"), "the value is held until the next reading: " + span);
            }
            double lastX = ((Number) drawn.get("lastX")).doubleValue();
            assertEquals(((Number) drawn.get("xMax")).doubleValue(), lastX, 0.01, "the last value reaches the right edge: " + drawn);
            assertEquals(((Number) drawn.get("now")).doubleValue(), lastX, 2.5, "... which is now: " + drawn);
            assertEquals(((Number) drawn.get("lastReading")).doubleValue(), ((Number) drawn.get("lastY")).doubleValue(), 1e-9,
                    "the value held is the last reading: " + drawn);
            Map<String, Object> hold = spans.get(spans.size() - 1);
            assertEquals(((Number) drawn.get("right")).doubleValue(), ((Number) hold.get("x1")).doubleValue(), 0.5,
                    "the stroke from the last reading to now was looked at (and held): " + drawn);
        });

        // non-GOOD quality: the stretches are shaded on the canvas, and only they
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Object> drawn = (Map<String, Object>) js(DRAWN, "it", "b-2", "ai1");
            List<Object> in = (List<Object>) drawn.get("inBands");
            List<Object> between = (List<Object>) drawn.get("betweenBands");
            assertFalse(in.isEmpty(), "a BAD stretch in the window: " + drawn);
            assertTrue(in.stream().allMatch(f -> ((Number) f).doubleValue() > 0.8), "each BAD stretch is shaded: " + in);
            assertTrue(between.stream().allMatch(f -> ((Number) f).doubleValue() == 0), "nothing else is: " + between);
        });
    }

    /** Every chart of the node page spans the chosen window ending now: the same x-range on all of them. */
    @SuppressWarnings("unchecked")
    private static void assertChartsShareTheWindowEndingNow(int windowS) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> charts = (List<Map<String, Object>>) js("return window.iiot.charts()");
            assertEquals(2, charts.size(), charts.toString());
            double now = System.currentTimeMillis() / 1000.0;
            double xMin = ((Number) charts.get(0).get("xMin")).doubleValue();
            double xMax = ((Number) charts.get(0).get("xMax")).doubleValue();
            assertEquals(windowS, xMax - xMin, 1, charts + ": the chart spans the chosen window, not its own points");
            assertEquals(now, xMax, 3, charts + ": the window ends now");
            for (Map<String, Object> c : charts) {
                assertEquals(xMin, ((Number) c.get("xMin")).doubleValue(), 0.5, charts + ": the same x-range on every chart");
                assertEquals(xMax, ((Number) c.get("xMax")).doubleValue(), 0.5, charts + ": the same x-range on every chart");
            }
        });
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
