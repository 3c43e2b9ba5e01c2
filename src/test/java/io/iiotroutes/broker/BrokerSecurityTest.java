package io.iiotroutes.broker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BrokerSecurityTest {

    @Test
    void checksASharedSubscriptionByItsTopicFilter() {
        assertEquals("iiot/v1/+/+/data", BrokerSecurity.withoutSharePrefix("$share/iiot-server/iiot/v1/+/+/data"));
        assertEquals("iiot/v1/+/+/data", BrokerSecurity.withoutSharePrefix("iiot/v1/+/+/data"));
        assertEquals("$share/no-filter", BrokerSecurity.withoutSharePrefix("$share/no-filter"));
    }
}
