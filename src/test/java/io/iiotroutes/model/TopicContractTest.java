package io.iiotroutes.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicContractTest {

    @Test
    void buildsAndParsesTheVersionedNamespace() {
        String topic = TopicContract.dataTopic("plant-1", "node_2");

        assertEquals("iiot/v1/plant-1/node_2/data", topic);
        assertEquals(new TopicContract.NodeAddress("plant-1", "node_2", "data"), TopicContract.parse(topic).orElseThrow());
        assertEquals("iiot/v1/plant-1/node_2/status", TopicContract.statusTopic("plant-1", "node_2"));
    }

    @Test
    void refusesTopicsOutsideTheNamespace() {
        assertTrue(TopicContract.parse("iiot/v2/s/n/data").isEmpty());
        assertTrue(TopicContract.parse("iiot/v1/s/n").isEmpty());
        assertTrue(TopicContract.parse("iiot/v1/s/n/data/extra").isEmpty());
        assertTrue(TopicContract.parse("iiot/v1/s p/n/data").isEmpty());
        assertTrue(TopicContract.parse("Node2_Input_1").isEmpty());
    }

    @Test
    void refusesIdsThatAreUnsafeAsTopicLevelsOrTags() {
        assertThrows(IllegalArgumentException.class, () -> TopicContract.dataTopic("s", "a/b"));
        assertThrows(IllegalArgumentException.class, () -> TopicContract.dataTopic("s", "n,x=1"));
        assertThrows(IllegalArgumentException.class, () -> TopicContract.dataTopic("", "n"));
    }
}
