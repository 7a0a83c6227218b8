package io.example.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import static io.example.deploy.MeshChecks.stream;

/**
 * PostgreSQL's connections are enough for every pool at once: the sum over the Deployments that use it of
 * (most pods: the HPA's maxReplicas, else replicas; plus the rolling update's surge) x the pool size must stay
 * within max_connections less a reserve. HikariCP keeps its whole pool open, so a pod holds its pool size.
 * The pool size is read from the container's environment the way the services read it
 * ({@link ServiceEnvironment}: {@code DB_POOL_DASH_SIZE} -> {@code db.pool-size}); a workload that does not state it
 * is a finding, since the services' code default would apply unseen.
 */
final class ConnectionBudget {
    /** Sessions an operator or a start-up's migration may open beside the pools. */
    static final int OPERATOR_SESSIONS = 5;
    private static final String POOL_KEY = "db.pool-size";

    /**
     * @param workload    the Deployment
     * @param pods        pods at most
     * @param poolSize    connections per pod
     */
    record Share(Manifest workload, int pods, int poolSize) {
        int connections() {
            return pods * poolSize;
        }
    }

    private ConnectionBudget() {
    }

    /**
     * @param manifests rendered objects
     * @return one line per workload without a pool size, and one if the sum exceeds the budget
     */
    static List<String> findings(List<Manifest> manifests) {
        List<String> findings = new ArrayList<>();
        int total = 0;
        for (Manifest w : databaseClients(manifests)) {
            Optional<Integer> pool = ServiceEnvironment.value(w.environment(manifests), POOL_KEY).map(Integer::parseInt);
            if (pool.isEmpty()) {
                findings.add(w + ": uses PostgreSQL and states no pool size (" + POOL_KEY + ", env DB_POOL_DASH_SIZE)");
                continue;
            }
            total += new Share(w, maxPods(w, manifests), pool.get()).connections();
        }
        int budget = budget(manifests);
        if (total > budget) {
            findings.add("the pools open " + total + " connections at most, PostgreSQL allows " + budget
                                 + " (max_connections less the superuser's and operators' reserve)");
        }
        return findings;
    }

    /**
     * @param manifests rendered objects
     * @return max_connections less superuser_reserved_connections, reserved_connections and {@link #OPERATOR_SESSIONS}
     */
    static int budget(List<Manifest> manifests) {
        Map<String, Integer> settings = new HashMap<>(Map.of("max_connections", 100, "superuser_reserved_connections", 3,
                                                            "reserved_connections", 0));
        Manifest postgres = manifests.stream().filter(m -> m.is("StatefulSet") && m.name().equals("postgres"))
                .findFirst().orElseThrow();
        List<String> args = stream(postgres.spec().at("/template/spec/containers/0/args")).map(JsonNode::asText).toList();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("-c") && args.get(i + 1).contains("=")) {
                String[] kv = args.get(i + 1).split("=", 2);
                settings.computeIfPresent(kv[0], (k, v) -> Integer.parseInt(kv[1]));
            }
        }
        return settings.get("max_connections") - settings.get("superuser_reserved_connections")
                - settings.get("reserved_connections") - OPERATOR_SESSIONS;
    }

    static List<Manifest> databaseClients(List<Manifest> manifests) {
        return manifests.stream().filter(m -> m.is("Deployment"))
                .filter(w -> w.environment(manifests).getOrDefault("DB_URL", "").startsWith("jdbc:postgresql://postgres"))
                .toList();
    }

    // the HPA's maximum (else replicas, default 1), plus what a rolling update adds (maxSurge, default 25%)
    private static int maxPods(Manifest w, List<Manifest> manifests) {
        int pods = manifests.stream().filter(m -> m.is("HorizontalPodAutoscaler"))
                .filter(hpa -> hpa.spec().path("scaleTargetRef").path("name").asText().equals(w.name()))
                .mapToInt(hpa -> hpa.spec().path("maxReplicas").asInt())
                .findFirst().orElse(w.spec().path("replicas").asInt(1));
        JsonNode surge = w.spec().path("strategy").path("rollingUpdate").path("maxSurge");
        int extra = surge.isInt() ? surge.asInt()
                : (int) Math.ceil(pods * Integer.parseInt(surge.asText("25%").replace("%", "")) / 100.0);
        return pods + extra;
    }
}
