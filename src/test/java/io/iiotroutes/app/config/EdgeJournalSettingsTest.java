package io.iiotroutes.app.config;

import io.iiotroutes.edge.forward.FsyncPolicy;
import io.iiotroutes.edge.forward.JournalSettings;
import io.iiotroutes.edge.forward.OverflowPolicy;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EdgeJournalSettingsTest {

    private static JournalSettings journal(String fsyncIntervalMs) throws Exception {
        Properties values = new Properties();
        values.setProperty("iiot.edge.journal.max-bytes", "1048576");
        values.setProperty("iiot.edge.journal.overflow", "reject-new");
        values.setProperty("iiot.edge.journal.fsync-interval-ms", fsyncIntervalMs);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(values);
            return EdgeSettings.journal(Settings.of(context));
        }
    }

    @Test
    void everyAppendIsForcedUnlessAnIntervalIsSet() throws Exception {
        JournalSettings strict = journal("0");
        assertEquals(FsyncPolicy.EVERY_APPEND, strict.fsyncPolicy());
        assertEquals(1048576, strict.maxBytes());
        assertEquals(OverflowPolicy.REJECT_NEW, strict.overflowPolicy());

        JournalSettings relaxed = journal("250");
        assertEquals(FsyncPolicy.INTERVAL, relaxed.fsyncPolicy());
        assertEquals(250, relaxed.fsyncIntervalMillis());
    }
}
