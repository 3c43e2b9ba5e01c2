package io.iiotroutes.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iiotroutes.node.AlarmConfig;
import io.iiotroutes.model.TopicContract;
import io.iiotroutes.server.AlarmEvaluator.ActiveAlarm;
import io.iiotroutes.server.AlarmEvaluator.AlarmEvent;
import io.iiotroutes.server.ChannelCatalog.ChannelInfo;
import io.iiotroutes.tsdb.HistoryQuery;
import io.iiotroutes.tsdb.HistoryQuery.AlarmRecord;
import io.iiotroutes.tsdb.HistoryQuery.HistoryPoint;
import io.iiotroutes.tsdb.TsdbQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST API behind {@code routes/api.camel.yaml}: nodes, channels (configuration, unit, latest reading, alarm
 * state), history of a channel from the TSDB, alarms and their acknowledgement. Every answer is JSON; a bad
 * parameter is a 400 and an unknown node, channel or alarm a 404, each with {@code {"error": "..."}}.
 */
public class DashboardApi {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardApi.class);
    private static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

    private final ObjectMapper json = new ObjectMapper();
    private final NodeMonitor monitor;
    private final ChannelCatalog catalog;
    private final AlarmEvaluator alarms;
    private final HistoryQuery history;
    private final int maxPoints;
    private final Clock clock;

    public DashboardApi(NodeMonitor monitor, ChannelCatalog catalog, AlarmEvaluator alarms, HistoryQuery history,
                        int maxPoints) {
        this(monitor, catalog, alarms, history, maxPoints, Clock.systemUTC());
    }

    DashboardApi(NodeMonitor monitor, ChannelCatalog catalog, AlarmEvaluator alarms, HistoryQuery history,
                 int maxPoints, Clock clock) {
        this.monitor = monitor;
        this.catalog = catalog;
        this.alarms = alarms;
        this.history = history;
        this.maxPoints = maxPoints;
        this.clock = clock;
    }

    @FunctionalInterface
    private interface Body {
        Object get() throws ApiError;
    }

    private ApiResponse answer(Body body) {
        try {
            return ApiResponse.ok(json.writeValueAsString(body.get()));
        } catch (ApiError e) {
            return error(e.status, e.getMessage());
        } catch (TsdbQueryException e) {
            LOG.warn("history query failed: {}", e.getMessage());
            return error(503, "TSDB unavailable: " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    ApiResponse error(int status, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("error", message);
        body.put("status", status);
        return new ApiResponse(status, body.toString(), null);
    }

    /** GET /api/nodes: every node (configured or seen), online/offline, last seen, completeness, alarms. */
    public ApiResponse nodes() {
        return answer(() -> {
            Map<String, ObjectNode> nodes = new LinkedHashMap<>();
            catalog.nodes().keySet().stream().sorted().forEach(key -> {
                String[] siteNode = key.split("/", 2);
                nodes.put(key, nodeSummary(siteNode[0], siteNode[1], null));
            });
            for (NodeMonitor.NodeState state : monitor.nodes()) {
                nodes.put(state.site() + "/" + state.node(), nodeSummary(state.site(), state.node(), state));
            }
            ArrayNode list = json.createArrayNode();
            nodes.values().forEach(list::add);
            return list;
        });
    }

    /** GET /api/nodes/{site}/{node}: one node with its channels. */
    public ApiResponse node(String site, String node) {
        return answer(() -> {
            requireNode(site, node);
            NodeMonitor.NodeState state = monitor.nodes().stream()
                    .filter(s -> s.site().equals(site) && s.node().equals(node)).findFirst().orElse(null);
            ObjectNode summary = nodeSummary(site, node, state);
            ArrayNode channels = summary.putArray("channelList");
            catalog.channels(site, node).forEach(c -> channels.add(channelJson(c)));
            return summary;
        });
    }

    /** GET /api/channels, or one node's (GET /api/nodes/{site}/{node}/channels). */
    public ApiResponse channels(String site, String node) {
        return answer(() -> {
            List<ChannelInfo> list;
            if (site == null && node == null) {
                list = catalog.channels();
            } else {
                requireNode(site, node);
                list = catalog.channels(site, node);
            }
            ArrayNode array = json.createArrayNode();
            list.forEach(c -> array.add(channelJson(c)));
            return array;
        });
    }

    /**
     * GET /api/history/{site}/{node}/{channel}?from=&to=&step=: readings in [from, to) (epoch ms or ISO-8601; default
     * the last hour), every one ({@code step} absent or {@code raw}, at most the cap, {@code truncated} when cut) or
     * one aggregate per step ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}; at most the cap steps).
     */
    public ApiResponse history(String site, String node, String channel, String from, String to, String step) {
        return answer(() -> {
            requireNode(site, node);
            requireId("channel", channel);
            ChannelInfo info = catalog.channel(site, node, channel).orElseThrow(() ->
                    new ApiError(404, "unknown channel '" + channel + "' of node " + site + "/" + node));
            Instant end = to == null || to.isBlank() ? clock.instant() : ApiParameters.time("to", to);
            Instant start = from == null || from.isBlank() ? end.minus(DEFAULT_WINDOW) : ApiParameters.time("from", from);
            if (!start.isBefore(end)) {
                throw new ApiError(400, "'from' (" + start + ") must be before 'to' (" + end + ")");
            }
            Duration stepSize = ApiParameters.step(step);
            if (stepSize != null) {
                long steps = Duration.between(start, end).toMillis() / stepSize.toMillis();
                if (steps > maxPoints) {
                    throw new ApiError(400, "too many points: " + steps + " steps of " + step + " in the range, at most "
                            + maxPoints + "; use a larger step or a shorter range");
                }
            }
            List<HistoryPoint> points = history.channel(site, node, channel, start, end, stepSize, maxPoints);
            boolean truncated = points.size() > maxPoints;
            ObjectNode body = json.createObjectNode();
            body.put("site", site);
            body.put("node", node);
            body.put("channel", channel);
            body.put("unit", info.unit());
            body.put("from", start.toEpochMilli());
            body.put("to", end.toEpochMilli());
            if (stepSize == null) {
                body.putNull("step");
            } else {
                body.put("step", stepSize.toMillis());
            }
            body.put("truncated", truncated);
            ArrayNode array = body.putArray("points");
            for (HistoryPoint p : truncated ? points.subList(0, maxPoints) : points) {
                ObjectNode point = array.addObject();
                point.put("ts", p.ts());
                putNumber(point, "value", p.value());
                if (stepSize == null) {
                    point.put("quality", p.quality());
                    if (p.seq() != null) {
                        point.put("seq", p.seq());
                    }
                } else {
                    putNumber(point, "min", p.min());
                    putNumber(point, "max", p.max());
                    point.put("count", p.count());
                }
            }
            return body;
        });
    }

    /** GET /api/alarms: active alarms (newest first) and the latest events since the server started. */
    public ApiResponse alarms() {
        return answer(() -> {
            ObjectNode body = json.createObjectNode();
            ArrayNode active = body.putArray("active");
            alarms.active().forEach(a -> active.add(alarmJson(a)));
            ArrayNode events = body.putArray("events");
            AlarmEvents encoder = new AlarmEvents();
            alarms.recent().forEach(e -> events.add(encoder.tree(e)));
            return body;
        });
    }

    /** GET /api/alarms/history?from=&to=: alarm events stored in the TSDB (default the last 24 h). */
    public ApiResponse alarmHistory(String from, String to) {
        return answer(() -> {
            Instant end = to == null || to.isBlank() ? clock.instant() : ApiParameters.time("to", to);
            Instant start = from == null || from.isBlank() ? end.minus(Duration.ofDays(1)) : ApiParameters.time("from", from);
            if (!start.isBefore(end)) {
                throw new ApiError(400, "'from' (" + start + ") must be before 'to' (" + end + ")");
            }
            List<AlarmRecord> records = history.alarms(start, end, maxPoints);
            ObjectNode body = json.createObjectNode();
            body.put("from", start.toEpochMilli());
            body.put("to", end.toEpochMilli());
            body.put("truncated", records.size() > maxPoints);
            ArrayNode events = body.putArray("events");
            for (AlarmRecord r : records.size() > maxPoints ? records.subList(0, maxPoints) : records) {
                ObjectNode e = events.addObject();
                e.put("ts", r.ts());
                e.put("id", r.id());
                e.put("event", r.event());
                e.put("site", r.site());
                e.put("node", r.node());
                e.put("channel", r.channel());
                e.put("level", r.level());
                putNumber(e, "value", r.value());
                putNumber(e, "limit", r.limit());
            }
            return body;
        });
    }

    /** POST /api/alarms/{id}/ack: 200 with the alarm, 404 unknown (or already cleared), 409 already acknowledged. */
    public ApiResponse acknowledge(String id) {
        long alarmId;
        try {
            alarmId = Long.parseLong(id == null ? "" : id.trim());
        } catch (NumberFormatException e) {
            return error(400, "alarm id must be a number, got '" + id + "'");
        }
        AlarmEvaluator.AckResult result = alarms.acknowledge(alarmId);
        return switch (result.outcome()) {
            case UNKNOWN -> error(404, "no active alarm " + alarmId + " (unknown or already cleared)");
            case ALREADY_ACKNOWLEDGED -> error(409, "alarm " + alarmId + " is already acknowledged");
            case ACKNOWLEDGED -> new ApiResponse(200, new AlarmEvents().toJson(result.event()), result.event());
        };
    }

    /** An unknown path under /api (the static files answer 404 in HTML otherwise). */
    public ApiResponse notFound(String path) {
        return error(404, "no such API resource: " + path);
    }

    private ObjectNode nodeSummary(String site, String node, NodeMonitor.NodeState state) {
        ObjectNode n = json.createObjectNode();
        n.put("site", site);
        n.put("node", node);
        n.put("configured", catalog.isConfigured(site, node));
        n.put("status", state == null ? "unknown" : state.status());
        n.put("lastSeen", state == null ? 0 : state.lastSeen());
        n.put("lastSourceTimestamp", state == null ? 0 : state.lastSourceTimestamp());
        // messages of the node this replica stored itself (with replicas: its share; completeness counts them all)
        n.put("storedHere", state == null ? 0 : state.storedHere());
        SequenceTracker.Snapshot c = state == null ? new SequenceTracker.Snapshot(0, 0, 0, 0, 0) : state.completeness();
        n.set("completeness", json.valueToTree(c));
        // the lowest missing sequence numbers, [first, last] (at most a few ranges): what to look for on the node
        n.set("missing", json.valueToTree(state == null ? List.of() : state.missing()));
        long expected = c.received() + c.gaps();
        if (expected == 0) {
            n.putNull("completenessPercent");
        } else {
            n.put("completenessPercent", Math.round(10000.0 * c.received() / expected) / 100.0);
        }
        n.put("channels", catalog.channels(site, node).size());
        n.put("activeAlarms", alarms.active().stream().filter(a -> a.site().equals(site) && a.node().equals(node)).count());
        return n;
    }

    private ObjectNode channelJson(ChannelInfo c) {
        ObjectNode o = json.createObjectNode();
        o.put("site", c.site());
        o.put("node", c.node());
        o.put("channel", c.channel());
        o.put("unit", c.unit());
        o.put("configured", c.configured());
        o.put("signal", c.signal());
        if (c.range() == null) {
            o.putNull("range");
        } else {
            o.putArray("range").add(c.range().get(0)).add(c.range().get(1));
        }
        o.put("group", c.group());
        if (c.periodMs() == null) {
            o.putNull("periodMs");
        } else {
            o.put("periodMs", c.periodMs());
        }
        if (c.heartbeatMs() == null) {
            o.putNull("heartbeatMs");
        } else {
            o.put("heartbeatMs", c.heartbeatMs());
        }
        AlarmConfig limits = c.alarms();
        if (limits == null || !limits.hasLimits()) {
            o.putNull("alarms");
        } else {
            ObjectNode a = o.putObject("alarms");
            putNumber(a, "hh", limits.hh());
            putNumber(a, "h", limits.h());
            putNumber(a, "l", limits.l());
            putNumber(a, "ll", limits.ll());
            a.put("hysteresis", limits.hysteresis());
            a.put("delayMs", limits.delayMs());
        }
        catalog.latest(c.site(), c.node(), c.channel()).ifPresentOrElse(l -> {
            ObjectNode latest = o.putObject("latest");
            putNumber(latest, "value", l.value());
            latest.put("quality", l.quality());
            latest.put("reason", l.reason());
            latest.put("ts", l.ts());
            latest.put("seq", l.seq());
        }, () -> o.putNull("latest"));
        alarms.active(c.site(), c.node(), c.channel()).ifPresentOrElse(a -> o.set("alarm", alarmJson(a)),
                () -> o.putNull("alarm"));
        return o;
    }

    private ObjectNode alarmJson(ActiveAlarm a) {
        ObjectNode o = json.createObjectNode();
        o.put("id", a.id());
        o.put("site", a.site());
        o.put("node", a.node());
        o.put("channel", a.channel());
        o.put("level", a.level().name());
        o.put("limit", a.limit());
        putNumber(o, "value", a.value());
        o.put("unit", a.unit());
        o.put("raisedAt", a.raisedAt());
        o.put("acknowledged", a.acknowledged());
        if (a.acknowledgedAt() == null) {
            o.putNull("acknowledgedAt");
        } else {
            o.put("acknowledgedAt", a.acknowledgedAt());
        }
        return o;
    }

    private void requireNode(String site, String node) throws ApiError {
        requireId("site", site);
        requireId("node", node);
        boolean seen = monitor.nodes().stream().anyMatch(s -> s.site().equals(site) && s.node().equals(node));
        if (!seen && !catalog.hasNode(site, node)) {
            throw new ApiError(404, "unknown node " + site + "/" + node);
        }
    }

    private static void requireId(String what, String id) throws ApiError {
        if (!TopicContract.isValidId(id)) {
            throw new ApiError(400, what + " must match " + TopicContract.ID_PATTERN + ", got '" + id + "'");
        }
    }

    private static void putNumber(ObjectNode node, String field, Double value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    /** For routes: the alarm event carried by a response, or null. */
    public AlarmEvent eventOf(ApiResponse response) {
        return response.alarmEvent();
    }
}
