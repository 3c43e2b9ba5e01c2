package io.iiotroutes.broker;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void addsATlsListenerAndLeavesOutPlainTcpWhenTlsIsRequired() {
        BrokerSettings plain = new BrokerSettings("127.0.0.1", 18830, false, 5000, 65535);
        BrokerSettings both = plain.withTls(new BrokerSettings.TlsListener(18831, Path.of("/keys/broker.p12"),
                "s3cret<&".toCharArray(), false));
        String xml = both.toConfigXml();
        assertTrue(xml.contains("<tcp-listener>"), xml);
        assertTrue(xml.contains("<tls-tcp-listener>"), xml);
        assertTrue(xml.contains("<port>18831</port>"), xml);
        assertTrue(xml.contains("<path>/keys/broker.p12</path>"), xml);
        assertTrue(xml.contains("<password>s3cret&lt;&amp;</password>"), xml);
        assertFalse(both.toString().contains("s3cret"), "the password must not appear in toString");

        String tlsOnly = plain.withTls(new BrokerSettings.TlsListener(18831, Path.of("/keys/broker.p12"),
                "x".toCharArray(), true)).toConfigXml();
        assertFalse(tlsOnly.contains("<tcp-listener>"), tlsOnly);
        assertTrue(tlsOnly.contains("<tls-tcp-listener>"), tlsOnly);
    }
}
