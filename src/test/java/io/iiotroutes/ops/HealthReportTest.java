package io.iiotroutes.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HealthReportTest {

    @Test
    void thePathChoosesWhichChecksAreReported() {
        assertEquals("all", HealthReport.kind("/observe/health"));
        assertEquals("all", HealthReport.kind("/observe/health/"));
        assertEquals("ready", HealthReport.kind("/observe/health/ready"));
        assertEquals("ready", HealthReport.kind("/observe/health/ready/?x=1"));
        assertEquals("live", HealthReport.kind("/observe/health/live"));
        assertEquals("all", HealthReport.kind(null));
    }
}
