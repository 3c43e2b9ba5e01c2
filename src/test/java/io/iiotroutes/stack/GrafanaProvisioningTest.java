package io.iiotroutes.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Grafana 11 does with our provisioning files on a first start and on every restart, checked without a
 * Grafana (docs/deployment.md, "What was checked without a container engine"): alert rules are provisioned before
 * dashboards and name their folder by title only, creating it with a uid of Grafana's choosing when it is missing
 * (grafana#125079); a dashboard provider with a {@code folderUid} looks its folder up by that uid and, since titles
 * need not be unique (Grafana 11.3+), makes a second folder of the same title. So: every folder is named by title
 * alone, and the alert rules land in a folder the dashboards use.
 */
class GrafanaProvisioningTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PROVISIONING = Path.of("grafana/provisioning");
    private static final Set<String> NO_DATA_STATES = Set.of("NoData", "Alerting", "OK", "KeepLast");
    private static final Set<String> ERROR_STATES = Set.of("Error", "Alerting", "OK", "KeepLast");

    private static List<JsonNode> files(String folder, String key) throws IOException {
        List<JsonNode> items = new ArrayList<>();
        try (Stream<Path> list = Files.list(PROVISIONING.resolve(folder))) {
            for (Path file : list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
                YAML.readTree(file.toFile()).path(key).forEach(items::add);
            }
        }
        return items;
    }

    @Test
    void foldersAreNamedByTitleOnlySoDashboardsAndAlertRulesCannotClash() throws Exception {
        Set<String> dashboardFolders = new HashSet<>();
        for (JsonNode provider : files("dashboards", "providers")) {
            assertFalse(provider.has("folderUid") || provider.has("folderUID"),
                    provider.path("name").asText() + ": a folderUid makes a second folder next to the alert rules' one");
            assertFalse(provider.path("folder").asText().isBlank(), "dashboards go to a named folder, not General");
            dashboardFolders.add(provider.path("folder").asText());
        }
        List<JsonNode> groups = files("alerting", "groups");
        assertFalse(groups.isEmpty());
        for (JsonNode group : groups) {
            assertFalse(group.has("folderUid") || group.has("folderUID"), "alert rule files cannot name a folder uid");
            assertTrue(dashboardFolders.contains(group.path("folder").asText()),
                    group.path("name").asText() + ": alert rules in folder '" + group.path("folder").asText()
                            + "', which no dashboard provider uses " + dashboardFolders);
        }
    }

    @Test
    void everyDashboardHasAFixedUniqueUidAndUsesTheProvisionedDatasource() throws Exception {
        Set<String> uids = new HashSet<>();
        try (Stream<Path> list = Files.list(Path.of("grafana/dashboards"))) {
            for (Path file : list.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode dashboard = JSON.readTree(file.toFile());
                String uid = dashboard.path("uid").asText();
                assertFalse(uid.isBlank(), file + ": without a uid every restart makes links break");
                assertTrue(uids.add(uid), file + ": uid " + uid + " twice");
                assertFalse(dashboard.toString().contains("${DS_"), file + ": an exported datasource placeholder");
            }
        }
        assertEquals(3, uids.size());
    }

    @Test
    void everyAlertRuleChoosesItsNoDataAndErrorStates() throws Exception {
        Set<String> uids = new HashSet<>();
        for (JsonNode group : files("alerting", "groups")) {
            for (JsonNode rule : group.path("rules")) {
                String uid = rule.path("uid").asText();
                assertTrue(uids.add(uid), "rule uid " + uid + " twice");
                // Grafana's defaults (NoData, Alerting) are not what any of our rules wants: each states its own
                assertTrue(NO_DATA_STATES.contains(rule.path("noDataState").asText()), uid + ": noDataState " + rule.path("noDataState"));
                assertTrue(ERROR_STATES.contains(rule.path("execErrState").asText()), uid + ": execErrState " + rule.path("execErrState"));
                assertTrue(rule.has("for"), uid + ": pending period");
            }
        }
        assertTrue(uids.contains("iiot-process-alarm") && uids.contains("iiot-node-silent") && uids.contains("iiot-pipeline-not-reporting"));
    }

    @Test
    void theDatasourceReadsWithTheReadOnlyLoginNeverTheAdminToken() throws Exception {
        List<JsonNode> datasources = files("datasources", "datasources");
        assertEquals(1, datasources.size());
        JsonNode influx = datasources.get(0);
        assertEquals("iiot-influxdb", influx.path("uid").asText());
        assertEquals("grafana", influx.path("user").asText());
        assertEquals("${IIOT_INFLUXDB_GRAFANA_PASSWORD}", influx.path("secureJsonData").path("password").asText());
        String text = Files.readString(PROVISIONING.resolve("datasources/iiot-influxdb.yaml"));
        assertFalse(text.contains("TOKEN"), "no API token in Grafana's datasource");
    }
}
