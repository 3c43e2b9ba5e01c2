package io.iiotroutes.broker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerSettingsTest {

    @Test
    void writesTheListenerLimitsAndPersistenceIntoConfigXml() {
        String xml = new BrokerSettings("127.0.0.1", 18830, false, 5000, 65535).toConfigXml();

        assertTrue(xml.contains("<port>18830</port>"), xml);
        assertTrue(xml.contains("<bind-address>127.0.0.1</bind-address>"), xml);
        assertTrue(xml.contains("<max-queue-size>5000</max-queue-size>"), xml);
        assertTrue(xml.contains("<server-receive-maximum>65535</server-receive-maximum>"), xml);
        assertTrue(xml.contains("<mode>in-memory</mode>"), xml);
        assertTrue(new BrokerSettings("0.0.0.0", 1883, true, 1, 10).toConfigXml().contains("<mode>file</mode>"));
    }
}
