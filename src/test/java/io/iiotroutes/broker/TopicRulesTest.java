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
