package io.iiotroutes.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.server.AlarmEvaluator.ActiveAlarm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The server's alarm state ({@link AlarmState}: active alarms, when each node's last changed) on disk ({@code <iiot.data.dir>/server/alarms.json}), so that a restart keeps them
 * and their acknowledgements. Written whole on every change, through a temporary file and an atomic rename: a
 * crash leaves the previous or the new version, never half of one.
 */
public final class AlarmStateFile {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmStateFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public AlarmStateFile(Path file) {
        this.file = file;
    }

    /**
     * The state saved last; none when there is no file, or when it cannot be read (said once in the log). A file of
     * an earlier version (only the list of active alarms) is read too.
     */
    public AlarmState load() {
        if (!Files.exists(file)) {
            return AlarmState.NONE;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root != null && root.isArray()) {
                return new AlarmState(JSON.convertValue(root, new TypeReference<List<ActiveAlarm>>() { }), Map.of());
            }
            return JSON.treeToValue(root, AlarmState.class);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Alarm state {} not readable, starting without active alarms: {}", file, e.getMessage());
            return AlarmState.NONE;
        }
    }

    /**
     * Replaces the saved alarms. A failure is logged, not thrown: it must not stop the ingest route that raised
     * the alarm (the alarm itself is live and stored as an event); only its survival of a restart is at stake.
     */
    public void save(AlarmState active) {
        try {
            AtomicJsonFile.write(file, active);
        } catch (IOException e) {
            LOG.warn("Alarm state not saved to {} (active alarms would not survive a restart): {}", file, e.getMessage());
        }
    }
}
