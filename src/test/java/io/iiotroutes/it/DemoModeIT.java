package io.iiotroutes.it;

import io.iiotroutes.app.IiotApplication;
import io.iiotroutes.app.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The all-in-one demo: two simulated nodes through the embedded broker into the TSDB and onto the web page. */
class DemoModeIT {

    @TempDir
    Path dataDir;
    private IiotApplication app;
    private int webPort;

    @BeforeEach
    void startDemo() throws Exception {
        TestServer server = TestServer.of(Mode.DEMO, dataDir);
        webPort = server.webPort();
        app = server.start();
    }

    @AfterEach
    void stopDemo() throws Exception {
        app.stop();
    }

    @Test
    void bothNodesReachTheTsdbAndTheLivePage() throws Exception {
        String tsdbUrl = app.runtime().embeddedTsdb().orElseThrow().getHttpUrl();
        try (LiveClient live = new LiveClient("127.0.0.1", webPort)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> TsdbRows.count(tsdbUrl, "node = 'node-1'") > 0
                    && TsdbRows.count(tsdbUrl, "node = 'node-2'") > 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> liveNodes(live).containsAll(Set.of("node-1", "node-2")));
        }
        // each node's birth message marks it online; its completeness shows no gap
        HttpResponse<String> nodes = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + webPort + "/api/nodes")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, nodes.statusCode());
        com.fasterxml.jackson.databind.JsonNode list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(nodes.body());
        assertEquals(2, list.size(), nodes.body());
        for (com.fasterxml.jackson.databind.JsonNode node : list) {
            assertEquals("online", node.get("status").asText(), nodes.body());
            assertEquals(0, node.get("completeness").get("gaps").asLong(), nodes.body());
        }
    }

    @Test
    void aBrowserShowsLiveValuesOfBothNodes() throws Exception {
        try (Browser browser = new Browser()) {
            WebDriver page = browser.driver();
            page.get("http://localhost:" + webPort + "/");

            await().atMost(Duration.ofSeconds(60)).until(() ->
                    page.findElements(By.cssSelector("section.node[data-node='node-1'] td.value")).size() >= 3
                            && page.findElements(By.cssSelector("section.node[data-node='node-2'] td.value")).size() >= 3);
            // the page lists the configured channels at once; values arrive with the readings
            await().atMost(Duration.ofSeconds(30)).until(() -> page.findElement(
                    By.cssSelector("section.node[data-node='node-1'] td.value")).getText().matches("-?\\d+\\.\\d+"));
            String firstMeta = page.findElement(By.cssSelector("section.node[data-node='node-1'] .meta")).getText();
            await().atMost(Duration.ofSeconds(10)).until(() -> !page.findElement(
                    By.cssSelector("section.node[data-node='node-1'] .meta")).getText().equals(firstMeta));
            assertEquals("live", page.findElement(By.id("connection")).getText());
            browser.screenshot("demo-live-page");
        }
    }

    private static Set<String> liveNodes(LiveClient live) {
        return live.frames().stream().map(f -> f.get("node").asText()).collect(Collectors.toSet());
    }

    @Test
    void servesThePageFromItsOwnFolderOnly() throws Exception {
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>IIoT Routes"), page.body());

        for (String path : new String[]{"/pom.xml", "/iiot-common.properties", "/../pom.xml", "/routes/ingest.camel.yaml"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + webPort + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, response.statusCode(), path);
        }
    }
}
