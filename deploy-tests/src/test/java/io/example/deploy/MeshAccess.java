package io.example.deploy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import static io.example.deploy.MeshChecks.contains;
import static io.example.deploy.MeshChecks.map;
import static io.example.deploy.MeshChecks.stream;

/**
 * Who can reach whom, decided as the receiving sidecar decides it from the rendered PeerAuthentication and
 * AuthorizationPolicy objects (Istio's documented semantics): a port the sidecar does not capture reaches the
 * pod unchecked; a STRICT port refuses a caller that presents no mTLS identity; then DENY policies, then ALLOW
 * policies (none applies: allowed; some apply: one rule must match). A policy field this model does not
 * understand fails the check instead of being guessed at.
 */
final class MeshAccess {
    /** Where mesh-wide policies live (meshConfig.rootNamespace). */
    static final String ROOT_NAMESPACE = "istio-system";
    /**
     * Ports the sidecar's iptables rules leave alone: Envoy's stats (15090) and health (15021), and istio-agent's
     * 15020, where Prometheus scrapes the merged metrics (the app's /metrics, which the agent reads over
     * localhost because of the prometheus.io/* annotations) and where rewritten kubelet probes go.
     */
    static final Set<Integer> UNCAPTURED_PORTS = Set.of(15020, 15021, 15090);
    private static final Set<String> HTTP_ONLY_FIELDS = Set.of("methods", "notMethods", "paths", "notPaths", "hosts",
                                                               "notHosts", "requestPrincipals", "notRequestPrincipals");

    /** Pod annotations that keep ports away from the sidecar: Istio's iptables rules leave them alone. */
    static final String EXCLUDE_INBOUND = "traffic.sidecar.istio.io/excludeInboundPorts";
    static final String EXCLUDE_OUTBOUND = "traffic.sidecar.istio.io/excludeOutboundPorts";

    /**
     * Whoever opens the connection.
     *
     * @param name       for messages
     * @param principal  its mTLS identity, {@code cluster.local/ns/<ns>/sa/<sa>}; empty without a sidecar
     * @param plainPorts ports its sidecar does not capture outbound: it connects to them as a pod without one
     */
    record Caller(String name, Optional<String> principal, Set<Integer> plainPorts) {
        Caller(String name, Optional<String> principal) {
            this(name, principal, Set.of());
        }

        /** The Istio ingress gateway of the install profile (an Envoy with the mesh's certificates). */
        static final Caller INGRESS = new Caller("istio-ingressgateway",
                                                 Optional.of("cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"));
        /** istiod: no sidecar, so plain text and no principal. */
        static final Caller ISTIOD = plain("istiod");
        /** The Prometheus add-on: no sidecar. */
        static final Caller PROMETHEUS = plain("prometheus");
        /** The Strimzi cluster operator, in its own namespace without sidecar injection (docs/deploy.md). */
        static final Caller STRIMZI_OPERATOR = plain("strimzi-operator");
        /** A pod in a namespace without sidecar injection. */
        static final Caller OUTSIDE = plain("a pod outside the mesh");

        static Caller plain(String name) {
            return new Caller(name, Optional.empty());
        }
    }

    /**
     * @param allowed whether the request reaches the application
     * @param reason  why, for messages
     */
    record Verdict(boolean allowed, String reason) {
    }

    private final List<Manifest> all;

    MeshAccess(List<Manifest> all) {
        this.all = all;
    }

    /**
     * @param workload a Deployment or StatefulSet of the manifests, by name
     * @return it as a caller: its service account's principal when it has a sidecar
     */
    Caller caller(String workload) {
        Manifest w = workload(workload);
        String sa = w.spec().path("template").path("spec").path("serviceAccountName").asText("default");
        return new Caller(workload, hasSidecar(w)
                ? Optional.of("cluster.local/ns/" + w.namespace() + "/sa/" + sa)
                : Optional.empty(), w.podPorts(EXCLUDE_OUTBOUND));
    }

    /**
     * @param from   the caller
     * @param target a workload of the manifests, by name
     * @param port   the container port called
     * @param method HTTP method (ignored on a TCP port)
     * @param path   HTTP path without the query (ignored on a TCP port)
     * @return whether the request reaches the application, and why
     */
    Verdict decide(Caller from, String target, int port, String method, String path) {
        Manifest w = workload(target);
        if (!hasSidecar(w)) {
            return new Verdict(true, target + " has no sidecar: nothing is checked");
        }
        if (UNCAPTURED_PORTS.contains(port)) {
            return new Verdict(true, "port " + port + " is not captured by the sidecar");
        }
        if (w.podPorts(EXCLUDE_INBOUND).contains(port)) {
            return new Verdict(true, "port " + port + " is excluded from " + target + "'s sidecar (" + EXCLUDE_INBOUND + ")");
        }
        Optional<String> principal = from.principal().filter(p -> !tlsDisabledTowards(w))
                .filter(p -> !from.plainPorts().contains(port));
        String mode = mtlsMode(w, port);
        if (principal.isEmpty() && mode.equals("STRICT")) {
            return new Verdict(false, from.name() + " presents no mTLS identity and " + target + " port " + port
                    + " is STRICT: the connection is refused");
        }
        boolean http = isHttp(w, port);
        Map<String, String> labels = map(w.podLabels());
        List<Manifest> policies = all.stream().filter(m -> m.is("AuthorizationPolicy"))
                .filter(ap -> ap.namespace().equals(ROOT_NAMESPACE) || ap.namespace().equals(w.namespace()))
                .filter(ap -> !ap.spec().path("selector").has("matchLabels")
                        || contains(labels, map(ap.spec().path("selector").path("matchLabels"))))
                .toList();
        for (Manifest deny : policies.stream().filter(ap -> action(ap).equals("DENY")).toList()) {
            if (stream(deny.spec().path("rules")).anyMatch(r -> matches(r, principal, port, method, path, http, false))) {
                return new Verdict(false, "denied by " + deny);
            }
        }
        List<Manifest> allows = policies.stream().filter(ap -> action(ap).equals("ALLOW")).toList();
        if (allows.isEmpty()) {
            return new Verdict(true, "no ALLOW policy applies to " + target);
        }
        return allows.stream()
                .filter(ap -> stream(ap.spec().path("rules")).anyMatch(r -> matches(r, principal, port, method, path, http, true)))
                .findFirst()
                .map(ap -> new Verdict(true, "allowed by " + ap))
                .orElse(new Verdict(false, "no rule of " + allows + " allows it: 403"));
    }

    /**
     * @param from      the caller
     * @param uri       an http(s) URL whose host is a Service: {@code name}, {@code name.namespace} or longer
     * @param namespace where a host without a namespace is looked up
     * @param method    HTTP method
     * @return a verdict for each workload behind the Service; one refusal if the URL names no Service of the
     *         manifests or no port of it
     */
    List<Verdict> request(Caller from, URI uri, String namespace, String method) {
        String[] host = uri.getHost().split("\\.");
        String ns = host.length > 1 ? host[1] : namespace;
        int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        Optional<Manifest> service = all.stream()
                .filter(m -> m.is("Service") && m.name().equals(host[0]) && m.namespace().equals(ns)).findFirst();
        if (service.isEmpty()) {
            return List.of(new Verdict(false, uri + " is not a Service of the mesh"));
        }
        Optional<JsonNode> servicePort = stream(service.get().spec().path("ports"))
                .filter(p -> p.path("port").asInt() == port).findFirst();
        if (servicePort.isEmpty()) {
            return List.of(new Verdict(false, "Service " + service.get().name() + " has no port " + port));
        }
        return workloadsOf(service.get()).stream()
                .map(target -> decide(from, target.name(),
                                      containerPort(target, servicePort.get().path("targetPort").asText(Integer.toString(port))),
                                      method, uri.getPath()))
                .toList();
    }

    /**
     * @param service a Service of the manifests, by name
     * @return the workloads behind it
     */
    List<Manifest> workloadsOf(Manifest service) {
        Map<String, String> selector = map(service.spec().path("selector"));
        return all.stream().filter(Manifest::isWorkload)
                .filter(w -> w.namespace().equals(service.namespace()) && contains(map(w.podLabels()), selector))
                .toList();
    }

    boolean hasSidecar(Manifest workload) {
        boolean namespaceInjected = all.stream().filter(m -> m.is("Namespace"))
                .anyMatch(ns -> ns.name().equals(workload.namespace())
                        && ns.json().path("metadata").path("labels").path("istio-injection").asText().equals("enabled"));
        return namespaceInjected && !optsOut(workload);
    }

    /**
     * @param workload a Deployment or StatefulSet
     * @return whether its pod template asks for no sidecar ({@code sidecar.istio.io/inject: "false"}, as label or
     *         annotation; the label wins where both are set, as in Istio's injector): a client from outside the mesh
     */
    static boolean optsOut(Manifest workload) {
        String annotation = workload.spec().path("template").path("metadata").path("annotations").path("sidecar.istio.io/inject").asText("true");
        return workload.podLabels().path("sidecar.istio.io/inject").asText(annotation).equals("false");
    }

    private Manifest workload(String name) {
        return all.stream().filter(m -> m.isWorkload() && m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no workload " + name));
    }

    // The effective PeerAuthentication mode: the workload's own policy (and its port level), else the
    // namespace's, else the mesh-wide one in the root namespace; UNSET inherits; nothing at all is PERMISSIVE.
    private String mtlsMode(Manifest w, int port) {
        Map<String, String> labels = map(w.podLabels());
        List<Manifest> pas = all.stream().filter(m -> m.is("PeerAuthentication")).toList();
        List<Optional<Manifest>> levels = List.of(
                pas.stream().filter(pa -> pa.namespace().equals(w.namespace()) && pa.spec().path("selector").has("matchLabels")
                        && contains(labels, map(pa.spec().path("selector").path("matchLabels")))).findFirst(),
                pas.stream().filter(pa -> pa.namespace().equals(w.namespace()) && !pa.spec().path("selector").has("matchLabels")).findFirst(),
                pas.stream().filter(pa -> pa.namespace().equals(ROOT_NAMESPACE) && !pa.spec().path("selector").has("matchLabels")).findFirst());
        for (Optional<Manifest> level : levels) {
            if (level.isPresent()) {
                JsonNode spec = level.get().spec();
                String mode = spec.path("portLevelMtls").path(Integer.toString(port)).path("mode")
                        .asText(spec.path("mtls").path("mode").asText("UNSET"));
                if (!mode.equals("UNSET")) {
                    return mode;
                }
            }
        }
        return "PERMISSIVE";
    }

    // A DestinationRule with tls DISABLE makes callers send plain text to that host whatever their sidecar.
    private boolean tlsDisabledTowards(Manifest w) {
        return all.stream().filter(m -> m.is("DestinationRule"))
                .filter(dr -> "DISABLE".equals(dr.spec().path("trafficPolicy").path("tls").path("mode").asText()))
                .map(dr -> dr.spec().path("host").asText().split("\\.")[0])
                .anyMatch(host -> all.stream().filter(s -> s.is("Service") && s.name().equals(host))
                        .anyMatch(s -> workloadsOf(s).contains(w)));
    }

    // The protocol of a container port: from the name of the Service port that targets it (Istio's rule).
    private boolean isHttp(Manifest w, int port) {
        for (Manifest svc : all.stream().filter(m -> m.is("Service")).filter(s -> workloadsOf(s).contains(w)).toList()) {
            for (JsonNode p : svc.spec().path("ports")) {
                if (containerPort(w, p.path("targetPort").asText(p.path("port").asText())) == port) {
                    String name = p.path("name").asText();
                    return name.equals("http") || name.startsWith("http-") || name.startsWith("http2") || name.startsWith("grpc");
                }
            }
        }
        return false;
    }

    /**
     * @param w          a workload
     * @param targetPort a Service's targetPort: a number or a container port's name
     * @return the container port number, or -1
     */
    static int containerPort(Manifest w, String targetPort) {
        if (targetPort.matches("\\d+")) {
            return Integer.parseInt(targetPort);
        }
        return stream(w.spec().path("template").path("spec").path("containers"))
                .flatMap(c -> stream(c.path("ports")))
                .filter(p -> p.path("name").asText().equals(targetPort))
                .mapToInt(p -> p.path("containerPort").asInt())
                .findFirst().orElse(-1);
    }

    private static String action(Manifest ap) {
        String action = ap.spec().path("action").asText("ALLOW");
        if (!action.equals("ALLOW") && !action.equals("DENY")) {
            throw new IllegalStateException(ap + ": action " + action + " is not modelled");
        }
        return action;
    }

    // On a TCP port, HTTP-only fields make an ALLOW rule match nothing and are ignored in a DENY rule
    // (Istio: the stricter reading either way).
    private static boolean matches(JsonNode rule, Optional<String> principal, int port, String method, String path,
                                   boolean http, boolean allow) {
        if (rule.has("when")) {
            throw new IllegalStateException("rule conditions (when) are not modelled: " + rule);
        }
        boolean from = !rule.has("from") || stream(rule.path("from")).anyMatch(f -> source(f.path("source"), principal));
        boolean to = !rule.has("to") || stream(rule.path("to")).anyMatch(t -> {
            JsonNode op = t.path("operation");
            if (!http && HTTP_ONLY_FIELDS.stream().anyMatch(op::has)) {
                return !allow;
            }
            return field(op, "ports", Integer.toString(port)) && field(op, "methods", method) && field(op, "paths", path)
                    && notField(op, "notPorts", Integer.toString(port)) && notField(op, "notMethods", method)
                    && notField(op, "notPaths", path) && unmodelled(op, "hosts", "notHosts");
        });
        return from && to;
    }

    private static boolean source(JsonNode source, Optional<String> principal) {
        unmodelled(source, "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks", "requestPrincipals",
                   "notRequestPrincipals");
        Optional<String> namespace = principal.map(p -> p.replaceFirst("^cluster\\.local/ns/([^/]+)/.*", "$1"));
        return present(source, "principals", principal) && absent(source, "notPrincipals", principal)
                && present(source, "namespaces", namespace) && absent(source, "notNamespaces", namespace);
    }

    private static boolean present(JsonNode node, String field, Optional<String> value) {
        return !node.has(field) || value.filter(v -> stream(node.path(field)).anyMatch(p -> wildcard(p.asText(), v))).isPresent();
    }

    private static boolean absent(JsonNode node, String field, Optional<String> value) {
        return !node.has(field) || value.filter(v -> stream(node.path(field)).noneMatch(p -> wildcard(p.asText(), v))).isPresent();
    }

    private static boolean field(JsonNode node, String field, String value) {
        return !node.has(field) || stream(node.path(field)).anyMatch(p -> wildcard(p.asText(), value));
    }

    private static boolean notField(JsonNode node, String field, String value) {
        return !node.has(field) || stream(node.path(field)).noneMatch(p -> wildcard(p.asText(), value));
    }

    private static boolean unmodelled(JsonNode node, String... fields) {
        for (String f : fields) {
            if (node.has(f)) {
                throw new IllegalStateException(f + " is not modelled: " + node);
            }
        }
        return true;
    }

    // Istio's string match: exact, "prefix*", "*suffix" or "*".
    private static boolean wildcard(String pattern, String value) {
        if (pattern.contains("{")) {
            throw new IllegalStateException("path templates are not modelled: " + pattern);
        }
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith("*")) {
            return value.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        if (pattern.startsWith("*")) {
            return value.endsWith(pattern.substring(1));
        }
        return pattern.equals(value);
    }
}
