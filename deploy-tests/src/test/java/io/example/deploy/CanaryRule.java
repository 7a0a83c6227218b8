package io.example.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.example.deploy.IstioMetrics.Selector;
import io.example.deploy.MeshAccess.Caller;

import static io.example.deploy.MeshChecks.stream;

/**
 * A Flagger release fits the mesh: its analysis reads metrics Istio exports, for the canary's workload; nothing Flagger
 * makes is also in our manifests; the primary and the canary admit, and reach, exactly whom the stable version did;
 * a tester's header takes a request to the canary, and nothing else does. Flagger's objects are those
 * {@link FlaggerOperands} models; Flagger's two built-in Istio metrics are its own queries over the same metrics
 * ({@code pkg/metrics/observers/istio.go}).
 */
final class CanaryRule {
    /** The header a tester sends to be routed to the canary (docs/canary.md). */
    static final Map<String, String> TESTER = Map.of("x-canary", "always");
    static final Set<String> BUILT_IN_METRICS = Set.of("request-success-rate", "request-duration");
    // Flagger's hooks whose answer holds or fails the release (docs.flagger.app, usage/webhooks), and the load tester's
    // tasks that run before it answers, with the command's failure as a 500 (pkg/loadtester/server.go): every other
    // task, "cmd" (its default) among them, is queued and answered 202 Accepted
    private static final Set<String> GATES =
            Set.of("pre-rollout", "confirm-rollout", "confirm-traffic-increase", "confirm-promotion");
    private static final Set<String> BLOCKING_TASKS = Set.of("bash", "helm", "helmv3");
    private static final String LOADTESTER_DEFAULT_TASK = "cmd";
    private static final List<String> METHODS = List.of("GET", "POST", "DELETE");

    private CanaryRule() {
    }

    /**
     * @param manifests rendered objects
     * @return one line per analysis metric that is not a built-in one nor a Prometheus template over Istio's metrics
     *         and labels naming the canary's workload, per metric without a threshold, and per analysis without load
     */
    static List<String> analysis(List<Manifest> manifests) {
        List<String> findings = new ArrayList<>();
        for (Manifest canary : FlaggerOperands.canaries(manifests)) {
            JsonNode analysis = canary.spec().path("analysis");
            for (JsonNode metric : analysis.path("metrics")) {
                String where = canary + " metric " + metric.path("name").asText();
                if (!metric.has("thresholdRange")) {
                    findings.add(where + ": no thresholdRange, so nothing it measures can fail the step");
                }
                if (!metric.has("templateRef")) {
                    if (!BUILT_IN_METRICS.contains(metric.path("name").asText())) {
                        findings.add(where + ": neither a templateRef nor one of Flagger's built-in metrics " + BUILT_IN_METRICS);
                    }
                    continue;
                }
                findings.addAll(template(where, metric.path("templateRef"), canary, manifests));
            }
            if (stream(analysis.path("webhooks")).noneMatch(w -> w.path("type").asText().equals("rollout"))) {
                findings.add(canary + ": no rollout webhook sends load, so an analysis without users has nothing to measure");
            }
            for (JsonNode hook : analysis.path("webhooks")) {
                String task = hook.path("metadata").path("type").asText(LOADTESTER_DEFAULT_TASK);
                if (GATES.contains(hook.path("type").asText()) && !BLOCKING_TASKS.contains(task)) {
                    findings.add(canary + " webhook " + hook.path("name").asText() + ": a " + hook.path("type").asText()
                                         + " check run as a '" + task + "' task, which the load tester queues and"
                                         + " answers 202 at once: it passes whatever its command does");
                }
            }
        }
        return findings;
    }

    private static List<String> template(String where, JsonNode ref, Manifest canary, List<Manifest> manifests) {
        String ns = ref.path("namespace").asText(canary.namespace());
        Optional<Manifest> template = manifests.stream().filter(m -> FlaggerSchema.isFlagger(m) && m.is("MetricTemplate")
                && m.name().equals(ref.path("name").asText()) && m.namespace().equals(ns)).findFirst();
        if (template.isEmpty()) {
            return List.of(where + ": MetricTemplate " + ns + "/" + ref.path("name").asText() + " does not exist");
        }
        if (!template.get().spec().path("provider").path("type").asText().equals("prometheus")) {
            return List.of(where + ": " + template.get() + " does not read Prometheus, where Istio's metrics are");
        }
        String query = template.get().spec().path("query").asText();
        List<String> findings = new ArrayList<>(IstioMetrics.unknownNames(query).stream().map(f -> where + ": " + f).toList());
        List<Selector> selectors = IstioMetrics.selectors(query);
        if (selectors.isEmpty()) {
            findings.add(where + ": " + template.get() + " names no metric");
        }
        for (Selector s : selectors) {
            if (!s.has("destination_workload", "<target>") || !s.has("destination_workload_namespace", "<namespace>")
                    || s.matchers().stream().noneMatch(m -> m.name().equals("reporter") && m.op().equals("="))) {
                findings.add(where + ": " + s.metric() + " is not the canary's own: it needs reporter=, destination_workload"
                                     + "=\"{{ target }}\" and destination_workload_namespace=\"{{ namespace }}\"");
            }
        }
        return findings;
    }

    /**
     * @param ours rendered objects of our manifests (not Flagger's)
     * @return one line per object Flagger makes that our manifests also hold, per DestinationRule of ours for a host of
     *         the release, and per VirtualService of ours for the apex host that would route around Flagger's
     */
    static List<String> ownedTwice(List<Manifest> ours) {
        List<Manifest> made = FlaggerOperands.of(ours);
        List<String> findings = new ArrayList<>();
        for (Manifest m : made) {
            ours.stream().filter(o -> o.kind().equals(m.kind()) && o.name().equals(m.name()) && o.namespace().equals(m.namespace()))
                    .forEach(o -> findings.add(o + " is in our manifests and Flagger makes and owns it too"));
        }
        for (Manifest canary : FlaggerOperands.canaries(ours)) {
            FlaggerOperands.Names names = FlaggerOperands.Names.of(canary);
            Set<String> hosts = Set.of(fqdn(names.apex(), canary), fqdn(names.primary(), canary), fqdn(names.canary(), canary));
            ours.stream().filter(m -> m.is("DestinationRule") && hosts.contains(MeshRoutes.fqdn(m.spec().path("host").asText(), m.namespace())))
                    .forEach(dr -> findings.add(dr + ": a policy for " + dr.spec().path("host").asText()
                                                        + ", whose traffic Flagger's DestinationRules govern"));
            boolean delegation = canary.spec().path("service").path("delegation").asBoolean();
            for (Manifest vs : ours.stream().filter(m -> m.is("VirtualService")).toList()) {
                if (stream(vs.spec().path("hosts")).noneMatch(h -> MeshRoutes.fqdn(h.asText(), vs.namespace()).equals(fqdn(names.apex(), canary)))) {
                    continue;
                }
                if (!delegation) {
                    findings.add(vs + ": routes " + names.apex() + ", which Flagger's VirtualService routes (no delegation)");
                } else if (vs.spec().findValues("delegate").stream().noneMatch(d -> d.path("name").asText().equals(names.apex()))) {
                    findings.add(vs + ": routes " + names.apex() + " and never delegates to Flagger's VirtualService " + names.apex()
                                         + ": the weights would route nothing");
                }
            }
        }
        return findings;
    }

    /**
     * @param manifests rendered objects with the release (and Flagger's objects)
     * @param before    rendered objects without it: the stable version as it ran before
     * @return one line per call that the primary or the canary (as the called or as the caller) is allowed and the stable
     *         version was not, or the other way round
     */
    static List<String> callers(List<Manifest> manifests, List<Manifest> before) {
        MeshAccess now = new MeshAccess(manifests);
        MeshAccess then = new MeshAccess(before);
        List<String> findings = new ArrayList<>();
        for (Manifest canary : FlaggerOperands.canaries(manifests)) {
            String target = canary.spec().path("targetRef").path("name").asText();
            List<String> versions = List.of(target, FlaggerOperands.primaryName(canary));
            Manifest stable = workload(before, target);
            List<Caller> callers = new ArrayList<>(List.of(Caller.INGRESS, Caller.OUTSIDE));
            workloads(before).filter(w -> now.hasSidecar(w) && !w.name().equals(target) && exists(manifests, w.name()))
                    .forEach(w -> callers.add(now.caller(w.name())));
            for (Caller caller : callers) {
                for (Request r : requests(stable, before)) {
                    boolean was = then.decide(caller, target, r.port(), r.method(), r.path()).allowed();
                    for (String version : versions) {
                        MeshAccess.Verdict is = now.decide(caller, version, r.port(), r.method(), r.path());
                        if (is.allowed() != was) {
                            findings.add(caller.name() + " -> " + version + " " + r + ": " + is.reason() + ", unlike " + target
                                                 + " before the release");
                        }
                    }
                }
            }
            for (Manifest other : workloads(before).filter(w -> !w.name().equals(target) && exists(manifests, w.name())).toList()) {
                for (Request r : requests(other, before)) {
                    boolean was = then.decide(then.caller(target), other.name(), r.port(), r.method(), r.path()).allowed();
                    for (String version : versions) {
                        MeshAccess.Verdict is = now.decide(now.caller(version), other.name(), r.port(), r.method(), r.path());
                        if (is.allowed() != was) {
                            findings.add(version + " -> " + other.name() + " " + r + ": " + is.reason() + ", unlike " + target
                                                 + " before the release");
                        }
                    }
                }
            }
        }
        return findings;
    }

    /**
     * @param manifests rendered objects with the release and Flagger's objects
     * @return one line per Canary whose apex host sends a tester's request anywhere but (all of it) to the canary, or
     *         sends a request without the header to the canary alone or past Flagger's weights, or injects a fault
     *         into either
     */
    static List<String> testerRoute(List<Manifest> manifests) {
        MeshRoutes routes = new MeshRoutes(manifests);
        List<String> findings = new ArrayList<>();
        for (Manifest canary : FlaggerOperands.canaries(manifests)) {
            FlaggerOperands.Names names = FlaggerOperands.Names.of(canary);
            String apex = fqdn(names.apex(), canary);
            Optional<MeshRoutes.Taken> tester = routes.take(apex, TESTER);
            if (tester.isEmpty() || !tester.get().hosts().stream().allMatch(h -> MeshRoutes.fqdn(h, canary.namespace()).equals(fqdn(names.canary(), canary)))
                    || tester.get().fault().isPresent()) {
                findings.add(canary + ": a tester's request (" + TESTER + ") to " + names.apex() + " takes "
                                     + tester.map(t -> t.path() + " to " + t.hosts() + t.fault().map(f -> " with faults").orElse(""))
                        .orElse("no route") + ", not the canary alone");
            }
            Optional<MeshRoutes.Taken> everyone = routes.take(apex, Map.of());
            boolean weighted = everyone.isPresent() && everyone.get().hosts().stream().map(h -> MeshRoutes.fqdn(h, canary.namespace()))
                    .anyMatch(h -> h.equals(fqdn(names.primary(), canary)))
                    && (everyone.get().path() + " ").contains("VirtualService/" + names.apex() + " ");
            if (!weighted || everyone.get().fault().isPresent()) {
                findings.add(canary + ": a request without the header to " + names.apex() + " takes "
                                     + everyone.map(t -> t.path() + " to " + t.hosts() + t.fault().map(f -> " with faults").orElse(""))
                        .orElse("no route") + ", not Flagger's weighted route");
            }
        }
        return findings;
    }

    record Request(int port, String method, String path) {
        @Override
        public String toString() {
            return ":" + port + " " + method + " " + path;
        }
    }

    // every container port of the workload, and on each the paths its policies name (a wildcard filled in) and "/"
    private static List<Request> requests(Manifest w, List<Manifest> manifests) {
        Set<String> paths = new LinkedHashSet<>(List.of("/"));
        manifests.stream().filter(m -> m.is("AuthorizationPolicy"))
                .filter(ap -> MeshChecks.contains(MeshChecks.map(w.podLabels()), MeshChecks.map(ap.spec().path("selector").path("matchLabels"))))
                .flatMap(ap -> ap.spec().findValues("paths").stream()).flatMap(MeshChecks::stream)
                .forEach(p -> paths.add(p.asText().replace("*", "x")));
        List<Request> requests = new ArrayList<>();
        stream(w.spec().path("template").path("spec").path("containers")).flatMap(c -> stream(c.path("ports")))
                .forEach(port -> METHODS.forEach(method -> paths.forEach(path ->
                        requests.add(new Request(port.path("containerPort").asInt(), method, path)))));
        return requests;
    }

    private static Stream<Manifest> workloads(List<Manifest> manifests) {
        return manifests.stream().filter(Manifest::isWorkload);
    }

    private static boolean exists(List<Manifest> manifests, String workload) {
        return workloads(manifests).anyMatch(w -> w.name().equals(workload));
    }

    private static Manifest workload(List<Manifest> manifests, String name) {
        return workloads(manifests).filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no workload " + name));
    }

    private static String fqdn(String name, Manifest canary) {
        return MeshRoutes.fqdn(name, canary.namespace());
    }
}
