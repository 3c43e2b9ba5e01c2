package io.iiotroutes.ops;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeRouteReloadTest {

    @Test
    void aSnapshotOfARelativeFileKeepsItsLocationAndHasAPathCamelCanTurnItsUriInto() throws Exception {
        SafeRouteReload.Snapshot snapshot = new SafeRouteReload.Snapshot("file:routes/acks.camel.yaml",
                "- route: {}".getBytes(StandardCharsets.UTF_8));

        assertEquals("file:routes/acks.camel.yaml", snapshot.getLocation(), "the location its routes were loaded under");
        assertTrue(snapshot.getURI().isAbsolute() && !snapshot.getURI().isOpaque(), snapshot.getURI().toString());
        assertEquals(Path.of("routes/acks.camel.yaml").toAbsolutePath(), Path.of(snapshot.getURI()));
        try (InputStream in = snapshot.getInputStream()) {
            assertEquals("- route: {}", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anAbsoluteLocationStaysAsItIs() {
        Path file = Path.of("/srv/iiot/routes/acks.camel.yaml");
        SafeRouteReload.Snapshot snapshot = new SafeRouteReload.Snapshot("file:" + file, new byte[0]);

        assertEquals(file, Path.of(snapshot.getURI()));
    }
}
