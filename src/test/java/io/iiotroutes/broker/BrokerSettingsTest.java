package io.iiotroutes.broker;

import org.junit.jupiter.api.Test;

import io.iiotroutes.mqtt.PacketSize;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    void boundsThePacketSizeByThePayloadLimitPlusHeaderRoom() {
        BrokerSettings settings = new BrokerSettings("127.0.0.1", 18830, false, 5000, 65535)
                .withMaxPacketSize(PacketSize.forPayload(65536));
        String xml = settings.toConfigXml();

        assertTrue(xml.replaceAll("\\s+", "").contains("<mqtt>") && xml.replaceAll("\\s+", "")
                .contains("<packets><max-packet-size>131072</max-packet-size></packets></mqtt>"), xml);
        assertEquals(131072, settings.withTls(new BrokerSettings.TlsListener(18831, Path.of("k"), "p".toCharArray(), false))
                .maxPacketSize(), "kept with TLS");
        assertTrue(new BrokerSettings("127.0.0.1", 1, false, 1, 1).toConfigXml()
                .contains("<max-packet-size>268435460</max-packet-size>"), "HiveMQ's default unless set");
        assertThrows(IllegalArgumentException.class, () -> settings.withMaxPacketSize(0));
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
