package io.example.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import static io.example.deploy.MeshChecks.contains;
import static io.example.deploy.MeshChecks.map;
import static io.example.deploy.MeshChecks.stream;

/**
 * The services' own spans go where the sidecars' go, and the mesh lets them: each service's environment (the
 * OpenTelemetry SDK's {@code OTEL_*} variables, as its process sees them) exports OTLP over HTTP to the collector of
 * the tracing provider the mesh's Telemetry uses, on that add-on Service's {@code http-otel} port; samples parent-based
 * at the Telemetry's rate, the rate the ingress gateway starts traces at too; names the service, version, namespace
 * and pod. And its sidecar can carry the export: the
 * host is in the registry (REGISTRY_ONLY), no Sidecar resource hides it, no DestinationRule wraps it in TLS the
 * collector (no sidecar; auto mTLS sends plain text) cannot read, no NetworkPolicy blocks the port, and the port is not
 * taken away from the sidecar, which would let every connection to it out of the mesh.
 */
final class TraceExportRule {
    /** The services (Manifest.service()) that run commons' Tracing: every one. */
    static final Set<String> SERVICES = Set.of("gateway", "auth-service", "product-service", "order-service");
    /** The add-on port name of OTLP over HTTP, the one protocol the services ship. */
    static final String OTLP_HTTP_PORT = "http-otel";
    static final String PROTOCOL = "http/protobuf";
    static final String SAMPLER = "parentbased_traceidratio";
    private static final Set<String> TLS_MODES = Set.of("ISTIO_MUTUAL", "MUTUAL", "SIMPLE");

    private TraceExportRule() {
    }

    /**
     * @param manifests rendered objects of kubernetes/ and istio/ together
     * @param profile   the install profile
     * @return one line per departure
     */
    static List<String> findings(List<Manifest> manifests, IstioProfile profile) {
        List<IstioProfile.CollectorAddress> collectors = TracingRule.collectors(manifests, profile);
        if (collectors.size() != 1) {
            return List.of("the mesh's Telemetry sends the sidecars' spans to " + collectors + ", not to one collector the services can share");
        }
        String collector = collectors.getFirst().service();
        MeshAccess access = new MeshAccess(manifests);
        List<String> findings = new ArrayList<>();
        for (Manifest w : manifests.stream().filter(m -> m.is("Deployment"))
                .filter(m -> SERVICES.contains(m.service())).toList()) {
            Map<String, String> env = w.environment(manifests);
            findings.addAll(exporter(w, env, collector, profile));
            findings.addAll(sampling(w, env, manifests));
            findings.addAll(identity(w, env));
            if (access.hasSidecar(w)) {
                findings.addAll(egress(w, collector, profile, manifests));
            }
        }
        findings.addAll(ingress(manifests, profile));
        return findings;
    }

    // The ingress gateway is the first proxy of every request from outside: its rate decides, and every sidecar and
    // service after it follows. It is in the root namespace, which a Telemetry of the services' namespace does not cover.
    private static List<String> ingress(List<Manifest> manifests, IstioProfile profile) {
        Set<String> namespaces = manifests.stream().filter(m -> m.is("Deployment") && SERVICES.contains(m.service()))
                .map(Manifest::namespace).collect(Collectors.toCollection(TreeSet::new));
        double atIngress = meshSamplingPercentage(MeshAccess.ROOT_NAMESPACE, manifests)
                .orElse(profile.proxySamplingPercentage());
        List<String> findings = new ArrayList<>();
        for (String namespace : namespaces) {
            meshSamplingPercentage(namespace, manifests).filter(rate -> rate != atIngress)
                    .ifPresent(rate -> findings.add("the ingress gateway (" + MeshAccess.ROOT_NAMESPACE + ") starts traces at "
                                                            + atIngress + "%, not the " + rate + "% of " + namespace
                                                            + "'s Telemetry: it decides for every request from outside"));
        }
        return findings;
    }

    private static List<String> exporter(Manifest w, Map<String, String> env, String collector, IstioProfile profile) {
        List<String> findings = new ArrayList<>();
        expect(findings, w, env, "OTEL_TRACES_EXPORTER", "otlp");
        expect(findings, w, env, "OTEL_EXPORTER_OTLP_PROTOCOL", PROTOCOL);
        String endpoint = env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "");
        URI uri = URI.create(endpoint);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            findings.add(w + ": OTEL_EXPORTER_OTLP_ENDPOINT is '" + endpoint + "', not http://<collector>:<port>");
            return findings;
        }
        if (!fqdn(uri.getHost(), w.namespace()).equals(collector)) {
            findings.add(w + ": OTEL_EXPORTER_OTLP_ENDPOINT " + endpoint + " is not " + collector
                                 + ", the collector the sidecars' spans go to: a trace would be split over two backends");
            return findings;
        }
        String portName = profile.defaults().addonServices().getOrDefault(collector, Map.of()).get(uri.getPort());
        if (!OTLP_HTTP_PORT.equals(portName)) {
            findings.add(w + ": OTEL_EXPORTER_OTLP_ENDPOINT " + endpoint + " names port " + uri.getPort() + " ("
                                 + Optional.ofNullable(portName).orElse("not a port of the add-on") + "), not the add-on's "
                                 + OTLP_HTTP_PORT + " port: the services speak OTLP over HTTP only");
        }
        return findings;
    }

    private static List<String> sampling(Manifest w, Map<String, String> env, List<Manifest> manifests) {
        List<String> findings = new ArrayList<>();
        expect(findings, w, env, "OTEL_TRACES_SAMPLER", SAMPLER);
        Optional<Double> meshRate = meshSamplingPercentage(w.namespace(), manifests);
        if (meshRate.isEmpty()) {
            findings.add(w + ": no Telemetry of its namespace or the mesh states a randomSamplingPercentage to sample roots at");
            return findings;
        }
        String ratio = env.getOrDefault("OTEL_TRACES_SAMPLER_ARG", "");
        if (!ratio.matches("[0-9.]+") || Double.parseDouble(ratio) != meshRate.get() / 100) {
            findings.add(w + ": OTEL_TRACES_SAMPLER_ARG is '" + ratio + "', not the mesh's " + meshRate.get() + "% as a ratio ("
                                 + meshRate.get() / 100 + ")");
        }
        return findings;
    }

    private static List<String> identity(Manifest w, Map<String, String> env) {
        List<String> findings = new ArrayList<>();
        expect(findings, w, env, "OTEL_SERVICE_NAME", w.service());
        Map<String, String> attributes = Arrays.stream(env.getOrDefault("OTEL_RESOURCE_ATTRIBUTES", "").split(","))
                .filter(a -> a.contains("="))
                .collect(Collectors.toMap(a -> a.substring(0, a.indexOf('=')).trim(), a -> a.substring(a.indexOf('=') + 1).trim(),
                                          (first, last) -> last));
        Map<String, String> wanted = Map.of("service.namespace", w.namespace(),
                                            "service.version", w.podLabels().path("version").asText(),
                                            "k8s.pod.name", "<metadata.name>");
        wanted.forEach((key, value) -> {
            if (!value.equals(attributes.get(key))) {
                findings.add(w + ": OTEL_RESOURCE_ATTRIBUTES gives " + key + "=" + attributes.get(key) + ", not " + value);
            }
        });
        return findings;
    }

    private static List<String> egress(Manifest w, String collector, IstioProfile profile, List<Manifest> manifests) {
        int port = profile.defaults().addonServices().getOrDefault(collector, Map.of()).entrySet().stream()
                .filter(p -> p.getValue().equals(OTLP_HTTP_PORT)).map(Map.Entry::getKey).findFirst().orElse(-1);
        String to = collector + ":" + port;
        List<String> findings = new ArrayList<>();
        if (profile.outboundTrafficPolicy().equals("REGISTRY_ONLY") && !profile.defaults().addonServices().containsKey(collector)
                && !serviceOf(collector, manifests)) {
            findings.add(w + ": " + to + " is no Service the mesh knows, and REGISTRY_ONLY lets its sidecar reach only those");
        }
        sidecarResource(w, manifests).filter(sidecar -> !sidecarShows(sidecar, w.namespace(), collector, port))
                .ifPresent(sidecar -> findings.add(w + ": " + sidecar + " leaves " + to + " out of its egress: REGISTRY_ONLY drops the export"));
        manifests.stream().filter(m -> m.is("DestinationRule"))
                .filter(dr -> hostMatches(dr.spec().path("host").asText(), dr.namespace(), collector))
                .filter(dr -> originatesTls(dr.spec().path("trafficPolicy"), port))
                .forEach(dr -> findings.add(w + ": " + dr + " makes its sidecar speak TLS to " + to
                                                    + ", and the collector has no sidecar to end it (auto mTLS would send plain text)"));
        List<Manifest> egressPolicies = manifests.stream().filter(m -> m.is("NetworkPolicy"))
                .filter(np -> np.namespace().equals(w.namespace()) && selects(np.spec().path("podSelector"), w))
                .filter(TraceExportRule::limitsEgress).toList();
        if (!egressPolicies.isEmpty() && egressPolicies.stream().noneMatch(np -> allowsEgress(np, collector, port))) {
            findings.add(w + ": " + egressPolicies + " limit its egress and none lets it reach " + to);
        }
        if (w.podPorts(MeshAccess.EXCLUDE_OUTBOUND).contains(port)) {
            findings.add(w + ": port " + port + " is excluded from its sidecar (" + MeshAccess.EXCLUDE_OUTBOUND
                                 + "): every connection to that port, not only the export, would leave outside the mesh");
        }
        return findings;
    }

    private static void expect(List<String> findings, Manifest w, Map<String, String> env, String name, String value) {
        if (!value.equals(env.get(name))) {
            findings.add(w + ": " + name + " is '" + env.getOrDefault(name, "") + "', not '" + value + "'");
        }
    }

    // the namespace's Telemetry without a selector, else the mesh-wide one
    private static Optional<Double> meshSamplingPercentage(String namespace, List<Manifest> manifests) {
        for (String ns : List.of(namespace, MeshAccess.ROOT_NAMESPACE)) {
            Optional<Double> rate = manifests.stream()
                    .filter(m -> m.is("Telemetry") && m.namespace().equals(ns) && !m.spec().has("selector"))
                    .flatMap(t -> stream(t.spec().path("tracing")))
                    .filter(t -> t.has("randomSamplingPercentage"))
                    .map(t -> t.path("randomSamplingPercentage").asDouble())
                    .findFirst();
            if (rate.isPresent()) {
                return rate;
            }
        }
        return Optional.empty();
    }

    // Istio's choice: the workload's own Sidecar, else its namespace's, else the mesh-wide one
    private static Optional<Manifest> sidecarResource(Manifest w, List<Manifest> manifests) {
        List<Manifest> sidecars = manifests.stream().filter(m -> m.is("Sidecar")).toList();
        return sidecars.stream().filter(s -> s.namespace().equals(w.namespace()) && s.spec().path("workloadSelector").has("labels")
                        && contains(map(w.podLabels()), map(s.spec().path("workloadSelector").path("labels"))))
                .findFirst()
                .or(() -> sidecars.stream().filter(s -> s.namespace().equals(w.namespace()) && !s.spec().has("workloadSelector")).findFirst())
                .or(() -> sidecars.stream().filter(s -> s.namespace().equals(MeshAccess.ROOT_NAMESPACE) && !s.spec().has("workloadSelector"))
                        .findFirst());
    }

    // egress hosts are namespace/dnsName: * or the host's namespace (. is the Sidecar's own); no egress imports everything
    private static boolean sidecarShows(Manifest sidecar, String namespace, String host, int port) {
        if (!sidecar.spec().has("egress")) {
            return true;
        }
        String hostNamespace = host.split("\\.")[1];
        return stream(sidecar.spec().path("egress"))
                .filter(listener -> !listener.has("port") || listener.path("port").path("number").asInt() == port)
                .flatMap(listener -> stream(listener.path("hosts")))
                .map(JsonNode::asText)
                .filter(entry -> entry.contains("/"))
                .anyMatch(entry -> {
                    String ns = entry.substring(0, entry.indexOf('/'));
                    String dns = entry.substring(entry.indexOf('/') + 1);
                    boolean namespaceMatches = ns.equals("*") || ns.equals(hostNamespace) || ns.equals(".") && namespace.equals(hostNamespace);
                    return namespaceMatches && (dns.equals("*") || dns.equals(host) || dns.startsWith("*.") && host.endsWith(dns.substring(1)));
                });
    }

    private static boolean hostMatches(String pattern, String namespace, String host) {
        return pattern.equals("*") || pattern.startsWith("*.") && host.endsWith(pattern.substring(1))
                || fqdn(pattern, namespace).equals(host);
    }

    private static boolean originatesTls(JsonNode trafficPolicy, int port) {
        String mode = stream(trafficPolicy.path("portLevelSettings"))
                .filter(p -> p.path("port").path("number").asInt() == port)
                .map(p -> p.path("tls").path("mode").asText(""))
                .filter(m -> !m.isEmpty())
                .findFirst().orElse(trafficPolicy.path("tls").path("mode").asText(""));
        return TLS_MODES.contains(mode);
    }

    private static boolean selects(JsonNode podSelector, Manifest w) {
        Map<String, String> wanted = map(podSelector.path("matchLabels"));
        return wanted.isEmpty() || contains(map(w.podLabels()), wanted);
    }

    private static boolean limitsEgress(Manifest np) {
        JsonNode types = np.spec().path("policyTypes");
        return types.isMissingNode() ? np.spec().has("egress") : stream(types).anyMatch(t -> t.asText().equals("Egress"));
    }

    // a rule reaches the collector when it names no peers or a namespace selector that takes its namespace (by the
    // label Kubernetes sets, kubernetes.io/metadata.name), and no ports or the collector's
    private static boolean allowsEgress(Manifest np, String host, int port) {
        String hostNamespace = host.split("\\.")[1];
        return stream(np.spec().path("egress")).anyMatch(rule -> {
            boolean peers = !rule.has("to") || stream(rule.path("to")).anyMatch(peer -> peer.has("namespaceSelector")
                    && Optional.ofNullable(map(peer.path("namespaceSelector").path("matchLabels")).get("kubernetes.io/metadata.name"))
                    .map(hostNamespace::equals).orElse(map(peer.path("namespaceSelector").path("matchLabels")).isEmpty()));
            boolean ports = !rule.has("ports") || stream(rule.path("ports")).anyMatch(p -> p.path("port").asInt() == port);
            return peers && ports;
        });
    }

    private static boolean serviceOf(String host, List<Manifest> manifests) {
        return manifests.stream().anyMatch(m -> m.is("Service") && fqdn(m.name(), m.namespace()).equals(host)
                || m.is("ServiceEntry") && stream(m.spec().path("hosts")).anyMatch(h -> h.asText().equals(host)));
    }

    /**
     * @param host      a host as a pod in the namespace may write it: {@code name}, {@code name.ns}, {@code name.ns.svc} or
     *                  the full name
     * @param namespace the namespace a bare name is resolved in
     * @return {@code name.ns.svc.cluster.local}
     */
    static String fqdn(String host, String namespace) {
        String[] labels = host.split("\\.");
        return switch (labels.length) {
            case 1 -> host + "." + namespace + ".svc.cluster.local";
            case 2 -> host + ".svc.cluster.local";
            case 3 -> labels[2].equals("svc") ? host + ".cluster.local" : host;
            default -> host;
        };
    }
}
