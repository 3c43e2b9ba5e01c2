package io.iiotroutes.app;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class IiotApplicationTest {

    @Test
    void aStopAskedForBeforeCamelRunsIsBoundByTheSettingsOfTheFiles() {
        assumeTrue(System.getenv("IIOT_SHUTDOWN_GRACE_SECONDS") == null && System.getenv("CAMEL_MAIN_SHUTDOWNTIMEOUT") == null);
        // camel.main.shutdownTimeout 15 + iiot.shutdown.grace-seconds 10 (iiot-common.properties)
        assertEquals(Duration.ofSeconds(25), new IiotApplication(Mode.SERVER, Map.of()).shutdownLimit());
        assertEquals(Duration.ofSeconds(18),
                new IiotApplication(Mode.SERVER, Map.of("iiot.shutdown.grace-seconds", "3")).shutdownLimit());
    }

    @Test
    void launchSettingsTakeTheCommandLineOverTheFiles() {
        assumeTrue(System.getenv("IIOT_DATA_DIR") == null && System.getenv("IIOT_MQTT_URL") == null);
        assertEquals("data", IiotApplication.launchSetting(Mode.DEMO, Map.of(), "iiot.data.dir"));
        assertEquals("/var/lib/iiot", IiotApplication.launchSetting(Mode.DEMO, Map.of("iiot.data.dir", "/var/lib/iiot"), "iiot.data.dir"));
        // the mode's file over the common one
        assertEquals("tcp://127.0.0.1:1883", IiotApplication.launchSetting(Mode.EDGE, Map.of(), "iiot.mqtt.url"));
    }
}
