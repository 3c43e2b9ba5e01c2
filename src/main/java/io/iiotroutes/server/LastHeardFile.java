package io.iiotroutes.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iiotroutes.model.TopicContract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When each node was last heard from ({@code "site/node"} → epoch ms; for a configured node never heard, when the
 * server first expected it), on disk ({@code <iiot.data.dir>/server/last-heard.json}),
 * so that a node that stays silent across a server restart is still reported silent since it last spoke, not since
 * the restart (Grafana's "Node silent" rule would otherwise resolve while the node is still dead). Written whole,
 * through a temporary file and an atomic rename, once per completeness report.
 */
public final class LastHeardFile {

    private static final Logger LOG = LoggerFactory.getLogger(LastHeardFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final int maxNodes;

    /** @param maxNodes at most this many entries are read back (the server's node limit) */
    public LastHeardFile(Path file, int maxNodes) {
        this.file = file;
        this.maxNodes = maxNodes;
    }

    /** The times saved last: empty when there is no file or it cannot be read (said once); invalid entries are skipped. */
    public Map<String, Long> load() {
        Map<String, Long> loaded = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return loaded;
        }
        try {
            Map<String, Object> saved = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
            for (Map.Entry<String, Object> e : saved.entrySet()) {
                if (loaded.size() >= maxNodes) {
                    break;
                }
                String[] siteNode = e.getKey().split("/", -1);
                if (siteNode.length == 2 && TopicContract.isValidId(siteNode[0]) && TopicContract.isValidId(siteNode[1])
                        && e.getValue() instanceof Number time && time.longValue() > 0) {
                    loaded.put(e.getKey(), time.longValue());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Last-heard times {} not readable, nodes count as silent since this start: {}", file, e.getMessage());
        }
        return loaded;
    }

    /** Replaces the saved times; a failure is logged, never thrown (only the report after a restart is at stake). */
    public void save(Map<String, Long> lastHeard) {
        try {
            AtomicJsonFile.write(file, lastHeard);
        } catch (IOException e) {
            LOG.warn("Last-heard times not saved to {}: {}", file, e.getMessage());
        }
    }
}
