package io.iiotroutes.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * {@code GET /api/pipeline}: what the server refused and why, at a glance: dead letters in all and per stage
 * (validation, limit, tsdb, internal), and each per-node limit with its value and how many messages it refused
 * ({@code max-gap-ranges-per-node}: how many ranges of missing sequence numbers it made the server forget).
 */
public class PipelineApi {

    private final ObjectMapper json = new ObjectMapper();
    private final DeadLetters deadLetters;
    private final ChannelCatalog catalog;

    public PipelineApi(DeadLetters deadLetters, ChannelCatalog catalog) {
        this.deadLetters = deadLetters;
        this.catalog = catalog;
    }

    /** The answer of GET /api/pipeline (route server-api-pipeline answers it through server-api-respond). */
    public ApiResponse response() {
        return ApiResponse.ok(json());
    }

    public String json() {
        ObjectNode root = json.createObjectNode();
        root.put("deadLetters", deadLetters.count());
        ObjectNode stages = root.putObject("deadLettersByStage");
        deadLetters.countsByStage().forEach(stages::put);
        ObjectNode limits = root.putObject("limits");
        Map<String, Long> refusals = catalog.refusals();
        new java.util.TreeMap<>(catalog.limits().byName()).forEach((name, value) -> {
            ObjectNode limit = limits.putObject(name);
            limit.put("setting", IngestLimits.PREFIX + name);
            limit.put("value", value);
            // beyond the gap-range limit nothing is refused: the oldest ranges are forgotten (still counted as gaps)
            limit.put(name.equals(IngestLimits.GAP_RANGES_PER_NODE) ? "forgotten" : "refused", refusals.getOrDefault(name, 0L));
        });
        return root.toString();
    }
}
