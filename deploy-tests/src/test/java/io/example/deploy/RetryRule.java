package io.example.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * No retry policy, at the edge or in the mesh, replays a request that may have run, on a route that accepts
 * a method other than GET, HEAD or OPTIONS. A route without {@code retries}, and a Service with no
 * VirtualService at all, get the installed version's default policy ({@link IstioDefaults}), so the rule holds
 * for the version the install profile pins.
 * <p>
 * A retry condition is safe when the request cannot have reached the application (connect-failure,
 * refused-stream, reset-before-request) or was refused by a rate limit before it (envoy-ratelimited). The gRPC
 * conditions act only on a grpc-status header, which these HTTP/JSON services never send. Everything else
 * (5xx, gateway-error, reset, retriable-4xx, a retriable status code, ...) follows an answer or a broken
 * connection after the request was sent, so the application may have acted on it.
 */
final class RetryRule {
    private static final Set<String> SAFE = Set.of("connect-failure", "refused-stream", "reset-before-request",
                                                   "envoy-ratelimited");
    private static final Set<String> GRPC_ONLY = Set.of("cancelled", "deadline-exceeded", "internal",
                                                        "resource-exhausted", "unavailable");
    private static final Set<String> REPLAYABLE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private RetryRule() {
    }

    /**
     * @param manifests rendered objects of kubernetes/ and istio/
     * @param profile   the install profile, for the version's default policy
     * @return one line per route (or Service without a VirtualService) whose retries may replay a write
     */
    static List<String> replays(List<Manifest> manifests, IstioProfile profile) {
        IstioDefaults defaults = profile.defaults();
        List<String> findings = new ArrayList<>();
        for (Manifest vs : manifests.stream().filter(m -> m.is("VirtualService")).toList()) {
            int i = 0;
            for (JsonNode route : vs.spec().path("http")) {
                String where = vs + " http[" + i++ + "]";
                if (acceptsWrites(route) && !delegates(route)) {
                    unsafe(route.path("retries"), defaults).ifPresent(u -> findings.add(where + " accepts writes and " + u));
                }
            }
        }
        for (Manifest svc : httpServicesWithoutVirtualService(manifests)) {
            unsafe(MissingNode.getInstance(), defaults)
                    .ifPresent(u -> findings.add(svc + " has no VirtualService, so Istio " + defaults.minor()
                                                         + "'s default policy applies, and " + u));
        }
        return findings;
    }

    /**
     * @param manifests rendered objects
     * @return one line per HTTP route that leaves its retries to the installed version's default
     */
    static List<String> unstated(List<Manifest> manifests) {
        List<String> findings = new ArrayList<>();
        for (Manifest vs : manifests.stream().filter(m -> m.is("VirtualService")).toList()) {
            int i = 0;
            for (JsonNode route : vs.spec().path("http")) {
                if (!route.has("retries") && !delegates(route)) {
                    findings.add(vs + " http[" + i + "] states no retries: it follows the installed version's default");
                }
                i++;
            }
        }
        return findings;
    }

    // The unsafe conditions of a policy, as Istio converts it (pilot/pkg/networking/core/route/retry): no
    // retries: the default; attempts 0: none; no retryOn: the default conditions; numbers in retryOn are
    // status codes.
    private static Optional<String> unsafe(JsonNode retries, IstioDefaults defaults) {
        if (retries.path("attempts").isInt() && retries.path("attempts").asInt() <= 0) {
            return Optional.empty();
        }
        List<String> conditions = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        if (retries.has("retryOn")) {
            for (String c : retries.path("retryOn").asText().split(",")) {
                (c.trim().matches("\\d{3}") ? codes : conditions).add(c.trim());
            }
        } else {
            conditions.addAll(Arrays.asList(defaults.retryOn().split(",")));
            defaults.retriableStatusCodes().forEach(code -> codes.add(Integer.toString(code)));
        }
        List<String> unsafe = new ArrayList<>(conditions.stream()
                .filter(c -> !SAFE.contains(c) && !GRPC_ONLY.contains(c) && !c.equals("retriable-status-codes"))
                .toList());
        codes.forEach(code -> unsafe.add("status " + code));
        String origin = retries.isMissingNode() ? "the default policy" : retries.has("retryOn") ? "retryOn" : "the default conditions";
        return unsafe.isEmpty() ? Optional.empty()
                : Optional.of(origin + " replays on " + String.join(", ", unsafe));
    }

    // A route that delegates (Istio: a root VirtualService's route naming another VirtualService) is answered by the
    // delegate's routes, with their own retries (the delegating route's only where theirs are missing); those routes are
    // checked where they are, as routes of the delegate VirtualService.
    private static boolean delegates(JsonNode route) {
        return route.has("delegate");
    }

    // A route accepts writes unless every match entry restricts the method to ones that only read.
    private static boolean acceptsWrites(JsonNode route) {
        if (!route.has("match")) {
            return true;
        }
        return MeshChecks.stream(route.path("match")).anyMatch(m -> {
            JsonNode method = m.path("method");
            return !(method.has("exact") && REPLAYABLE_METHODS.contains(method.path("exact").asText()));
        });
    }

    private static List<Manifest> httpServicesWithoutVirtualService(List<Manifest> manifests) {
        List<String> routed = manifests.stream().filter(m -> m.is("VirtualService"))
                .filter(vs -> !vs.spec().has("gateways") || MeshChecks.stream(vs.spec().path("gateways")).anyMatch(g -> g.asText().equals("mesh")))
                .flatMap(vs -> MeshChecks.stream(vs.spec().path("hosts")))
                .map(h -> h.asText().split("\\.")[0])
                .toList();
        return manifests.stream().filter(m -> m.is("Service"))
                .filter(s -> MeshChecks.stream(s.spec().path("ports")).anyMatch(p -> p.path("name").asText().startsWith("http")))
                .filter(s -> !routed.contains(s.name()))
                .toList();
    }
}
