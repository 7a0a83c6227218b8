package io.example.deploy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import static io.example.deploy.MeshChecks.stream;

/**
 * Which route a caller's sidecar gives a request to a host of the mesh, decided from the rendered VirtualServices as
 * Istio decides it: the VirtualService bound to the mesh whose hosts name the host, its HTTP routes in order, the first
 * whose match the request meets (no match: every request); a route that delegates continues in the delegate's routes,
 * which must match too, and takes the delegating route's fault, timeout and retries where its own states none (Istio's
 * {@code pilot/pkg/model/virtualservice.go}, mergeHTTPRoute). Only header conditions are modelled; any other match
 * field fails the check instead of being guessed at.
 */
final class MeshRoutes {
    private static final Set<String> MODELLED = Set.of("headers", "name");

    /**
     * @param path         the VirtualService and route names it went through, for messages
     * @param destinations the route's destinations (each with its host, port and weight)
     * @param fault        the fault it injects, if any
     */
    record Taken(String path, List<JsonNode> destinations, Optional<JsonNode> fault) {
        /** @return the hosts that get a share of the requests (a single destination gets all of them) */
        List<String> hosts() {
            return destinations.stream()
                    .filter(d -> destinations.size() == 1 || d.path("weight").asInt() > 0)
                    .map(d -> d.path("destination").path("host").asText())
                    .toList();
        }
    }

    private final List<Manifest> all;

    MeshRoutes(List<Manifest> all) {
        this.all = all;
    }

    /**
     * @param host      the called host, fully qualified ({@code name.namespace.svc.cluster.local})
     * @param headers   the request's headers, lower case
     * @return the route it takes; empty when no VirtualService routes it or no route matches
     */
    Optional<Taken> take(String host, Map<String, String> headers) {
        Optional<Manifest> root = all.stream().filter(m -> m.is("VirtualService") && bound(m) && names(m, host)).findFirst();
        if (root.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode route : root.get().spec().path("http")) {
            if (!matches(route, headers)) {
                continue;
            }
            String where = root.get() + " " + route.path("name").asText("http[]");
            if (!route.has("delegate")) {
                return Optional.of(new Taken(where, stream(route.path("route")).toList(), fault(route)));
            }
            Optional<Manifest> delegate = delegate(route.path("delegate"), root.get().namespace());
            if (delegate.isEmpty()) {
                return Optional.empty();
            }
            for (JsonNode inner : delegate.get().spec().path("http")) {
                if (matches(inner, headers)) {
                    return Optional.of(new Taken(where + " -> " + delegate.get(), stream(inner.path("route")).toList(),
                                                 fault(inner).or(() -> fault(route))));
                }
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    private Optional<Manifest> delegate(JsonNode ref, String namespace) {
        String ns = ref.path("namespace").asText(namespace);
        return all.stream().filter(m -> m.is("VirtualService") && m.name().equals(ref.path("name").asText())
                && m.namespace().equals(ns) && !m.spec().has("hosts")).findFirst();
    }

    private static Optional<JsonNode> fault(JsonNode route) {
        return route.has("fault") ? Optional.of(route.get("fault")) : Optional.empty();
    }

    private static boolean bound(Manifest vs) {
        return !vs.spec().has("gateways") || stream(vs.spec().path("gateways")).anyMatch(g -> g.asText().equals("mesh"));
    }

    private static boolean names(Manifest vs, String host) {
        return stream(vs.spec().path("hosts")).anyMatch(h -> fqdn(h.asText(), vs.namespace()).equals(host));
    }

    /**
     * @param host      a host as a manifest names it: {@code name}, {@code name.namespace} or fully qualified
     * @param namespace where a short name is looked up
     * @return it fully qualified
     */
    static String fqdn(String host, String namespace) {
        String[] parts = host.split("\\.");
        return parts.length == 1 ? host + "." + namespace + ".svc.cluster.local"
                : parts.length == 2 ? host + ".svc.cluster.local" : host;
    }

    private static boolean matches(JsonNode route, Map<String, String> headers) {
        if (!route.has("match")) {
            return true;
        }
        return stream(route.path("match")).anyMatch(m -> {
            m.fieldNames().forEachRemaining(f -> {
                if (!MODELLED.contains(f)) {
                    throw new IllegalStateException("match field " + f + " is not modelled: " + m);
                }
            });
            Map<String, JsonNode> conditions = new java.util.HashMap<>();
            m.path("headers").fields().forEachRemaining(e -> conditions.put(e.getKey(), e.getValue()));
            return conditions.entrySet().stream().allMatch(c -> header(c.getValue(), headers.get(c.getKey().toLowerCase())));
        });
    }

    private static boolean header(JsonNode condition, String value) {
        if (value == null) {
            return false;
        }
        if (condition.has("exact")) {
            return value.equals(condition.path("exact").asText());
        }
        if (condition.has("prefix")) {
            return value.startsWith(condition.path("prefix").asText());
        }
        if (condition.has("regex")) {
            return Pattern.compile(condition.path("regex").asText()).matcher(value).matches();
        }
        throw new IllegalStateException("header condition " + condition + " is not modelled");
    }
}
