package io.iiotroutes.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

import java.util.Collection;
import java.util.Comparator;

/**
 * The JSON answer of {@code /observe/health}: every health check of the context (Camel's own for context, routes and
 * consumers, and ours for the broker and TSDB connections), overall UP only when all are UP. The route sets HTTP 503
 * from {@link #statusCode}, so a load balancer or Compose health check needs no JSON parsing.
 */
public class HealthReport implements CamelContextAware {

    private final ObjectMapper json = new ObjectMapper();
    private CamelContext context;

    /** path: the request path; ending in /ready it reports the readiness checks, in /live the liveness checks. */
    public String report(String path) {
        String kind = kind(path);
        Collection<HealthCheck.Result> results = results(kind);
        ObjectNode root = json.createObjectNode();
        root.put("status", up(results, kind) ? "UP" : "DOWN");
        var checks = root.putArray("checks");
        results.stream().sorted(Comparator.comparing(r -> r.getCheck().getId())).forEach(result -> {
            ObjectNode check = checks.addObject();
            check.put("name", result.getCheck().getId());
            check.put("status", result.getState().name());
            result.getMessage().ifPresent(message -> check.put("message", message));
            result.getError().ifPresent(error -> check.put("error", String.valueOf(error.getMessage())));
            ObjectNode details = json.createObjectNode();
            result.getDetails().forEach((key, value) -> {
                if (!HealthCheckHelper.isReservedKey(key) && isScalar(value)) {
                    details.put(key, String.valueOf(value));
                }
            });
            if (!details.isEmpty()) {
                check.set("details", details);
            }
        });
        return root.toString();
    }

    public int statusCode(String path) {
        String kind = kind(path);
        return up(results(kind), kind) ? 200 : 503;
    }

    static String kind(String path) {
        String trimmed = path == null ? "" : path.replaceAll("[?#].*$", "").replaceAll("/+$", "");
        if (trimmed.endsWith("/ready")) {
            return "ready";
        }
        return trimmed.endsWith("/live") ? "live" : "all";
    }

    private Collection<HealthCheck.Result> results(String kind) {
        return switch (kind) {
            case "ready" -> HealthCheckHelper.invokeReadiness(context);
            case "live" -> HealthCheckHelper.invokeLiveness(context);
            default -> HealthCheckHelper.invoke(context);
        };
    }

    private static boolean up(Collection<HealthCheck.Result> results, String kind) {
        return results.stream().allMatch(r -> r.getState() != HealthCheck.State.DOWN);
    }

    private static boolean isScalar(Object value) {
        return value instanceof Number || value instanceof Boolean || value instanceof CharSequence
                || value instanceof Enum<?>;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }
}
