package io.iiotroutes.broker;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.iiotroutes.broker.TopicRules.Activity.PUBLISH;
import static io.iiotroutes.broker.TopicRules.Activity.SUBSCRIBE;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same rules as compose/emqx/acl.conf.template. */
class TopicRulesTest {

    private final TopicRules rules = new TopicRules(List.of("iiot/v1/#", "+"), List.of("iiot/v1/_deadletter"));
    private final BrokerAccount node1 = new BrokerAccount("node-1", BrokerRole.NODE, "plant", "h");
    private final BrokerAccount server = new BrokerAccount("iiot-server", BrokerRole.SERVER, "plant", "h");

    @Test
    void aNodePublishesOnlyUnderItsOwnTopic() {
        assertTrue(rules.allows(node1, PUBLISH, "iiot/v1/plant/node-1/data"));
        assertTrue(rules.allows(node1, PUBLISH, "iiot/v1/plant/node-1/status"));
        assertFalse(rules.allows(node1, PUBLISH, "iiot/v1/plant/node-2/data"));
        assertFalse(rules.allows(node1, PUBLISH, "iiot/v1/other/node-1/data"));
        assertFalse(rules.allows(node1, PUBLISH, "iiot/v1/_deadletter"));
        assertFalse(rules.allows(node1, PUBLISH, "Node2_Input_1"));
    }

    @Test
    void aNodeCannotWriteWhatTheServerSaysAboutIt() {
        assertFalse(rules.allows(node1, PUBLISH, "iiot/v1/plant/node-1/ack"), "its own acknowledgements");
        assertFalse(rules.allows(node1, PUBLISH, "iiot/v1/plant/node-1/alarm"), "its alarm events");
        assertFalse(rules.allows(node1, PUBLISH, "iiot/v1/_alarms/plant/node-1"), "its active alarms");
        assertFalse(rules.allows(node1, PUBLISH, "iiot/v1/plant/node-1/data/x"));
    }

    @Test
    void aNodeSubscribesOnlyToItsOwnAcknowledgements() {
        assertTrue(rules.allows(node1, SUBSCRIBE, "iiot/v1/plant/node-1/ack"));
        assertFalse(rules.allows(node1, SUBSCRIBE, "iiot/v1/plant/node-2/ack"));
        assertFalse(rules.allows(node1, SUBSCRIBE, "iiot/v1/plant/+/ack"));
        assertFalse(rules.allows(node1, SUBSCRIBE, "iiot/v1/plant/node-1/data"));
        assertFalse(rules.allows(node1, SUBSCRIBE, "#"));
        assertFalse(rules.allows(node1, PUBLISH, "iiot/v1/plant/node-2/ack"), "nor acknowledge for another node");
    }

    @Test
    void theServerSubscribesToTheNodesAndPublishesOnlyDeadLetters() {
        assertTrue(rules.allows(server, SUBSCRIBE, "iiot/v1/+/+/data"));
        assertTrue(rules.allows(server, SUBSCRIBE, "iiot/v1/+/+/status"));
        assertTrue(rules.allows(server, SUBSCRIBE, "+"));
        assertFalse(rules.allows(server, SUBSCRIBE, "#"));
        assertFalse(rules.allows(server, SUBSCRIBE, "$SYS/#"));
        assertTrue(rules.allows(server, PUBLISH, "iiot/v1/_deadletter"));
        assertFalse(rules.allows(server, PUBLISH, "iiot/v1/plant/node-1/data"));
    }

    @Test
    void inTheSparkplugNamespaceANodePublishesOnlyItsOwnTopicsUnderItsSiteAsGroup() {
        for (String type : List.of("NBIRTH", "NDATA", "NDEATH")) {
            assertTrue(rules.allows(node1, PUBLISH, "spBv1.0/plant/" + type + "/node-1"), type);
            assertFalse(rules.allows(node1, PUBLISH, "spBv1.0/plant/" + type + "/node-2"), type + " of another node");
            assertFalse(rules.allows(node1, PUBLISH, "spBv1.0/other/" + type + "/node-1"), type + " in another group");
        }
        for (String type : List.of("DBIRTH", "DDATA", "DDEATH")) {
            assertTrue(rules.allows(node1, PUBLISH, "spBv1.0/plant/" + type + "/node-1/press-3"), type);
            assertFalse(rules.allows(node1, PUBLISH, "spBv1.0/plant/" + type + "/node-2/press-3"), type + " of another node");
            assertFalse(rules.allows(node1, PUBLISH, "spBv1.0/plant/" + type + "/node-1/press-3/x"), "deeper than a device");
        }
        assertFalse(rules.allows(node1, PUBLISH, "spBv1.0/plant/NCMD/node-1"), "not commands, not even to itself");
        assertFalse(rules.allows(node1, PUBLISH, "spBv1.0/STATE/iiot-routes"), "not a host's STATE");
        assertTrue(rules.allows(node1, SUBSCRIBE, "spBv1.0/plant/NCMD/node-1"));
        assertTrue(rules.allows(node1, SUBSCRIBE, "spBv1.0/plant/DCMD/node-1/+"));
        assertTrue(rules.allows(node1, SUBSCRIBE, "spBv1.0/plant/NDEATH/node-1"));
        assertTrue(rules.allows(node1, SUBSCRIBE, "spBv1.0/STATE/iiot-routes"));
        assertFalse(rules.allows(node1, SUBSCRIBE, "spBv1.0/plant/NCMD/node-2"));
        assertFalse(rules.allows(node1, SUBSCRIBE, "spBv1.0/plant/NDATA/+"), "not the other nodes' data");
        assertFalse(rules.allows(node1, SUBSCRIBE, "spBv1.0/#"));
    }

    @Test
    void theServerIsTheSparkplugHost() {
        assertTrue(rules.allows(server, SUBSCRIBE, "spBv1.0/#"));
        assertTrue(rules.allows(server, PUBLISH, "spBv1.0/STATE/iiot-routes"));
        assertTrue(rules.allows(server, PUBLISH, "spBv1.0/plant/NCMD/node-1"));
        assertFalse(rules.allows(server, PUBLISH, "spBv1.0/plant/NDATA/node-1"), "never data in a node's name");
        assertFalse(rules.allows(server, PUBLISH, "spBv1.0/plant/DCMD/node-1/d"));
        BrokerAccount viewer = new BrokerAccount("viewer", BrokerRole.VIEWER, "plant", "h");
        assertTrue(rules.allows(viewer, SUBSCRIBE, "spBv1.0/#"));
        assertFalse(rules.allows(viewer, PUBLISH, "spBv1.0/STATE/x"));
    }

    /** compose/emqx/acl.conf.template allows a node the same Sparkplug topics as these rules, and the server too. */
    @Test
    void theEmqxAclHasTheSameSparkplugRules() throws Exception {
        String acl = java.nio.file.Files.readString(java.nio.file.Path.of("compose/emqx/acl.conf.template"));
        String nodePublish = io.iiotroutes.sparkplug.SparkplugTopics.nodePublications("SITE", "USER").stream()
                .map(f -> "\"" + f.replace("SITE", "@SITE@").replace("USER", "${username}") + "\"")
                .collect(java.util.stream.Collectors.joining(", "));
        String nodeSubscribe = io.iiotroutes.sparkplug.SparkplugTopics.nodeSubscriptions("SITE", "USER").stream()
                .map(f -> "\"" + f.replace("SITE", "@SITE@").replace("USER", "${username}") + "\"")
                .collect(java.util.stream.Collectors.joining(", "));
        assertTrue(acl.contains("publish, [" + nodePublish + "]}."), nodePublish);
        assertTrue(acl.contains("subscribe, [" + nodeSubscribe + "]}."), nodeSubscribe);
        for (String filter : io.iiotroutes.sparkplug.SparkplugTopics.hostPublications()) {
            assertTrue(acl.lines().anyMatch(l -> l.startsWith("{allow, {username, \"iiot-server\"}, publish")
                    && l.contains("\"" + filter + "\"")), filter);
        }
        assertTrue(acl.lines().anyMatch(l -> l.startsWith("{allow, {username, \"iiot-server\"}, subscribe")
                && l.contains("\"spBv1.0/#\"")));
    }

    @Test
    void filtersMatchLikeMqtt() {
        assertTrue(TopicRules.covers("a/#", "a"));
        assertTrue(TopicRules.covers("a/#", "a/b/c"));
        assertTrue(TopicRules.covers("a/+/c", "a/b/c"));
        assertFalse(TopicRules.covers("a/+/c", "a/b/c/d"));
        assertFalse(TopicRules.covers("a/+", "a/#"));
        assertFalse(TopicRules.covers("+", "a/b"));
    }

    @Test
    void aViewerWatchesEveryNodeAndPublishesNothing() {
        BrokerAccount viewer = new BrokerAccount("viewer", BrokerRole.VIEWER, "plant", "hash");
        assertTrue(rules.allows(viewer, SUBSCRIBE, "iiot/v1/#"));
        assertTrue(rules.allows(viewer, SUBSCRIBE, "iiot/v1/plant/node-1/data"));
        assertFalse(rules.allows(viewer, SUBSCRIBE, "#"), "nothing outside the contract's topics");
        assertFalse(rules.allows(viewer, PUBLISH, "iiot/v1/plant/node-1/data"));
        assertFalse(rules.allows(viewer, PUBLISH, "iiot/v1/_deadletter"));
    }
}
