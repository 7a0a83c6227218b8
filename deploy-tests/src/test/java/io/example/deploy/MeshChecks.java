package io.example.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Kiali's validations and {@code istioctl analyze} would flag, checked over the rendered manifests
 * of both folders together. Each check returns its findings, one line each; none is the goal.
 */
final class MeshChecks {
    /** Workloads that {@code istioctl install} creates outside our manifests, by their pod labels. */
    static final List<Map<String, String>> EXTERNAL_WORKLOADS = List.of(
            Map.of("istio", "ingressgateway", "app", "istio-ingressgateway"));
    /** The Service {@code istioctl install} creates for the ingress gateway, as name.namespace. */
    static final String INGRESS_SERVICE = "istio-ingressgateway.istio-system";
    /** Namespaces whose identities are not ours to check (the ingress gateway's lives in istio-system). */
    static final Set<String> EXTERNAL_NAMESPACES = Set.of("istio-system");
    private static final Pattern PORT_NAME = Pattern.compile("(http|http2|https|grpc|grpc-web|tcp|tls|mongo|mysql|redis)(-.*)?");
    private static final Pattern PRINCIPAL = Pattern.compile("cluster\\.local/ns/([^/]+)/sa/([^/]+)");
    private static final Set<String> APP_PATHS = Set.of("/health/live", "/health/ready", "/metrics");

    private final List<Manifest> all;
    private final MeshAccess access;

    MeshChecks(List<Manifest> all) {
        this.all = all;
        this.access = new MeshAccess(all);
    }

    /** KIA0004: an AuthorizationPolicy, RequestAuthentication or PeerAuthentication selector matches no workload. */
    List<String> selectorsMatchWorkloads() {
        List<String> findings = new ArrayList<>();
        for (Manifest m : of("AuthorizationPolicy", "RequestAuthentication", "PeerAuthentication")) {
            JsonNode labels = m.spec().path("selector").path("matchLabels");
            if (!labels.isMissingNode() && labels.size() > 0 && workloadsMatching(labels).isEmpty()) {
                findings.add("KIA0004 " + m + ": selector " + labels + " matches no workload");
            }
        }
        return findings;
    }

    /** KIA0106: an AuthorizationPolicy names a principal whose ServiceAccount does not exist. */
    List<String> principalsHaveServiceAccounts() {
        List<String> findings = new ArrayList<>();
        for (Manifest m : of("AuthorizationPolicy")) {
            for (JsonNode principal : m.spec().findValues("principals").stream().flatMap(MeshChecks::stream).toList()) {
                Matcher p = PRINCIPAL.matcher(principal.asText());
                if (!p.matches()) {
                    findings.add("KIA0106 " + m + ": principal " + principal.asText() + " is not cluster.local/ns/<ns>/sa/<sa>");
                } else if (!EXTERNAL_NAMESPACES.contains(p.group(1))
                        && of("ServiceAccount").stream().noneMatch(sa -> sa.name().equals(p.group(2))
                                                                           && sa.namespace().equals(p.group(1)))) {
                    findings.add("KIA0106 " + m + ": no ServiceAccount for principal " + principal.asText());
                }
            }
        }
        return findings;
    }

    /** KIA0202: a DestinationRule's host is not a Service. */
    List<String> destinationRuleHostsExist() {
        return of("DestinationRule").stream()
                .filter(m -> service(m.spec().path("host").asText(), m.namespace()) == null)
                .map(m -> "KIA0202 " + m + ": host " + m.spec().path("host").asText() + " is not a Service")
                .toList();
    }

    /** KIA0203 / IST0173: a DestinationRule subset's labels match no pods of its host. */
    List<String> subsetsMatchPods() {
        List<String> findings = new ArrayList<>();
        for (Manifest dr : of("DestinationRule")) {
            Manifest service = service(dr.spec().path("host").asText(), dr.namespace());
            for (JsonNode subset : dr.spec().path("subsets")) {
                Map<String, String> wanted = new HashMap<>(map(subset.path("labels")));
                if (service != null) {
                    wanted.putAll(map(service.spec().path("selector")));
                }
                if (all.stream().filter(Manifest::isWorkload).noneMatch(w -> contains(map(w.podLabels()), wanted))) {
                    findings.add("KIA0203 " + dr + ": subset " + subset.path("name").asText() + " matches no pods");
                }
            }
        }
        return findings;
    }

    /** KIA0207: mutual TLS is STRICT but a DestinationRule turns it off. */
    List<String> strictMtlsIsNotDisabled() {
        boolean strict = of("PeerAuthentication").stream()
                .anyMatch(pa -> "STRICT".equals(pa.spec().path("mtls").path("mode").asText()));
        if (!strict) {
            return List.of();
        }
        return of("DestinationRule").stream()
                .filter(dr -> !"ISTIO_MUTUAL".equals(dr.spec().path("trafficPolicy").path("tls").path("mode").asText("ISTIO_MUTUAL")))
                .map(dr -> "KIA0207 " + dr + ": tls mode is not ISTIO_MUTUAL while PeerAuthentication is STRICT")
                .toList();
    }

    /** KIA0301: two Gateways claim the same host and port on the same gateway workload. */
    List<String> gatewayHostsAreUnique() {
        List<String> findings = new ArrayList<>();
        Map<String, Manifest> seen = new HashMap<>();
        for (Manifest gw : of("Gateway")) {
            for (JsonNode server : gw.spec().path("servers")) {
                for (JsonNode host : server.path("hosts")) {
                    String key = gw.spec().path("selector") + "|" + server.path("port").path("number").asText() + "|" + host.asText();
                    Manifest other = seen.putIfAbsent(key, gw);
                    if (other != null) {
                        findings.add("KIA0301 " + gw + ": host " + host.asText() + " on port "
                                             + server.path("port").path("number").asText() + " is also claimed by " + other);
                    }
                }
            }
        }
        return findings;
    }

    /** KIA0302: a Gateway's selector matches no gateway workload. */
    List<String> gatewaySelectorsMatch() {
        return of("Gateway").stream()
                .filter(gw -> {
                    Map<String, String> selector = map(gw.spec().path("selector"));
                    return EXTERNAL_WORKLOADS.stream().noneMatch(w -> contains(w, selector))
                            && workloadsMatching(gw.spec().path("selector")).isEmpty();
                })
                .map(gw -> "KIA0302 " + gw + ": selector " + gw.spec().path("selector") + " matches no gateway workload")
                .toList();
    }

    /** KIA0601 / IST0118: a Service port name does not tell Istio its protocol. */
    List<String> servicePortsAreNamed() {
        List<String> findings = new ArrayList<>();
        for (Manifest svc : of("Service")) {
            for (JsonNode port : svc.spec().path("ports")) {
                if (!port.has("appProtocol") && !PORT_NAME.matcher(port.path("name").asText()).matches()) {
                    findings.add("KIA0601 " + svc + ": port " + port.path("port").asText() + " is named '"
                                         + port.path("name").asText() + "', not <protocol>[-suffix]");
                }
            }
        }
        return findings;
    }

    /** KIA0701: a Service's targetPort is not a port any selected container exposes. */
    List<String> servicePortsReachContainers() {
        List<String> findings = new ArrayList<>();
        for (Manifest svc : of("Service")) {
            List<Manifest> workloads = workloadsMatching(svc.spec().path("selector"));
            for (JsonNode port : svc.spec().path("ports")) {
                String target = port.path("targetPort").asText(port.path("port").asText());
                boolean exposed = workloads.stream().flatMap(w -> containerPorts(w).stream())
                        .anyMatch(p -> p.path("name").asText().equals(target) || p.path("containerPort").asText().equals(target));
                if (!exposed) {
                    findings.add("KIA0701 " + svc + ": targetPort " + target + " is exposed by no selected container");
                }
            }
        }
        return findings;
    }

    /** KIA1101 / KIA1102 / KIA1107: a VirtualService routes to a missing host, gateway or subset. */
    List<String> virtualServiceReferencesExist() {
        List<String> findings = new ArrayList<>();
        for (Manifest vs : of("VirtualService")) {
            for (JsonNode gateway : vs.spec().path("gateways")) {
                if (!gateway.asText().equals("mesh") && of("Gateway").stream().noneMatch(g -> g.name().equals(gateway.asText()))) {
                    findings.add("KIA1102 " + vs + ": gateway " + gateway.asText() + " does not exist");
                }
            }
            for (JsonNode destination : vs.spec().findValues("destination")) {
                String host = destination.path("host").asText();
                if (service(host, vs.namespace()) == null) {
                    findings.add("KIA1101 " + vs + ": destination host " + host + " is not a Service");
                }
                if (destination.has("subset") && !subsetDefined(host, destination.path("subset").asText(), vs.namespace())) {
                    findings.add("KIA1107 " + vs + ": subset " + destination.path("subset").asText() + " of " + host
                                         + " is defined by no DestinationRule");
                }
            }
        }
        return findings;
    }

    /**
     * KIA1301: a workload of the mesh is allowed nothing explicitly (under deny-all it would be unreachable). A
     * workload outside the mesh is under no policy: {@link #workloadsOutsideTheMeshServeNothing()} holds it instead.
     */
    List<String> workloadsAreCoveredByAuthorization() {
        return all.stream().filter(Manifest::isWorkload).filter(access::hasSidecar)
                .filter(w -> of("AuthorizationPolicy").stream().noneMatch(ap ->
                        !"DENY".equals(ap.spec().path("action").asText("ALLOW"))
                                && ap.spec().path("rules").size() > 0
                                && contains(map(w.podLabels()), map(ap.spec().path("selector").path("matchLabels")))))
                .map(w -> "KIA1301 " + w + ": no AuthorizationPolicy allows anything to this workload")
                .toList();
    }

    /**
     * Every workload has a sidecar, or says it wants none ({@code sidecar.istio.io/inject: "false"}) and is a client
     * only: no Service selects it, since whatever it served would be plain text under no mTLS or policy.
     */
    List<String> workloadsOutsideTheMeshServeNothing() {
        List<String> findings = new ArrayList<>();
        for (Manifest w : all.stream().filter(Manifest::isWorkload).filter(w -> !access.hasSidecar(w)).toList()) {
            if (!MeshAccess.optsOut(w)) {
                findings.add(w + ": has no sidecar (its namespace is not injected) without opting out of the mesh");
            }
            of("Service").stream().filter(svc -> access.workloadsOf(svc).contains(w))
                    .forEach(svc -> findings.add(w + ": opts out of the mesh, yet " + svc
                                                         + " selects it: it would serve plain text under no policy"));
        }
        return findings;
    }

    /**
     * A VirtualService bound to the mesh is applied by the sidecars of its callers; one whose workloads only
     * a gateway may call (which applies the routes bound to its Gateway instead) routes nothing.
     */
    List<String> meshVirtualServicesAreUsed() {
        Set<String> meshPrincipals = all.stream().filter(Manifest::isWorkload)
                .flatMap(w -> access.caller(w.name()).principal().stream())
                .collect(java.util.stream.Collectors.toSet());
        List<String> findings = new ArrayList<>();
        for (Manifest vs : of("VirtualService")) {
            boolean mesh = !vs.spec().has("gateways") || stream(vs.spec().path("gateways")).anyMatch(g -> g.asText().equals("mesh"));
            if (!mesh) {
                continue;
            }
            for (JsonNode host : vs.spec().path("hosts")) {
                Manifest svc = service(host.asText(), vs.namespace());
                if (svc == null) {
                    continue;
                }
                List<Manifest> targets = workloadsMatching(svc.spec().path("selector"));
                boolean called = of("AuthorizationPolicy").stream()
                        .filter(ap -> targets.stream().anyMatch(w -> contains(map(w.podLabels()),
                                                                               map(ap.spec().path("selector").path("matchLabels")))))
                        .flatMap(ap -> stream(ap.spec().path("rules")))
                        .anyMatch(rule -> !rule.has("from") || rule.findValues("principals").stream()
                                .flatMap(MeshChecks::stream).anyMatch(p -> meshPrincipals.contains(p.asText())));
                if (!called) {
                    findings.add(vs + ": applies to calls from sidecars in the mesh to " + host.asText()
                                         + ", but no workload of the mesh is allowed to call it: it routes nothing");
                }
            }
        }
        return findings;
    }

    /** A Deployment an HPA scales states no replicas: each apply would reset the count the HPA chose. */
    List<String> autoscaledWorkloadsStateNoReplicas() {
        return of("HorizontalPodAutoscaler").stream()
                .flatMap(hpa -> all.stream().filter(w -> w.kind().equals(hpa.spec().path("scaleTargetRef").path("kind").asText())
                        && w.name().equals(hpa.spec().path("scaleTargetRef").path("name").asText())))
                .filter(w -> w.spec().has("replicas"))
                .map(w -> w + ": sets replicas though an HPA scales it; every apply resets the HPA's count")
                .toList();
    }

    /**
     * Each service's /metrics reaches Prometheus: its prometheus.io annotations name the app's port and path,
     * which Istio rewrites to istio-agent's port 15020 (merged with Envoy's metrics, scraped in plain text,
     * outside mTLS and authorization); Prometheus could not scrape the app's own port under STRICT mTLS. A workload
     * outside the mesh serves nothing ({@link #workloadsOutsideTheMeshServeNothing()}), so has nothing to scrape.
     */
    List<String> metricsAreScraped() {
        List<String> findings = new ArrayList<>();
        for (Manifest w : all.stream().filter(Manifest::isWorkload).filter(access::hasSidecar).toList()) {
            JsonNode annotations = w.spec().path("template").path("metadata").path("annotations");
            boolean ours = stream(w.spec().path("template").path("spec").path("containers"))
                    .anyMatch(c -> c.path("image").asText().matches("(.*/)?ms-.*"));
            if (!ours) {
                continue;
            }
            String port = annotations.path("prometheus.io/port").asText();
            if (!annotations.path("prometheus.io/scrape").asText().equals("true")
                    || containerPorts(w).stream().noneMatch(p -> p.path("containerPort").asText().equals(port))
                    || !annotations.path("prometheus.io/path").asText().equals("/metrics")) {
                findings.add(w + ": prometheus.io annotations do not name the app's /metrics on a container port: " + annotations);
            }
        }
        return findings;
    }

    /**
     * Outlier detection ejects a pod its callers cannot reach (refused, reset, timed out: Envoy's locally originated
     * failures) and never for the 5xx it answers: this project's services answer 503/504 when a dependency every
     * replica shares is down, so ejecting for those takes capacity from what still works. Istio ejects after 5
     * consecutive 5xx unless {@code consecutive5xxErrors} is 0; the Canary's policy becomes Flagger's DestinationRules.
     */
    List<String> ejectionOnlyForUnreachablePods() {
        List<String> findings = new ArrayList<>();
        for (Manifest m : all.stream().filter(m -> m.is("DestinationRule") || m.is("Canary")).toList()) {
            for (JsonNode outlier : m.spec().findValues("outlierDetection")) {
                int fiveXx = outlier.path("consecutive5xxErrors").asInt(5);
                int gateway = outlier.path("consecutiveGatewayErrors").asInt(0);
                boolean split = outlier.path("splitExternalLocalOriginErrors").asBoolean(false);
                if (fiveXx > 0 || gateway > 0 || !split) {
                    findings.add(m + ": ejects pods for the answers they give (consecutive5xxErrors " + fiveXx
                                         + ", consecutiveGatewayErrors " + gateway + ", local-origin failures split: "
                                         + split + "), so a dependency every replica shares going down takes replicas away");
                }
            }
        }
        return findings;
    }

    /** A fault-injecting route matches some requests (a header, a user) and never hits everyone. */
    List<String> faultsAreScoped() {
        List<String> findings = new ArrayList<>();
        for (Manifest vs : of("VirtualService")) {
            int i = 0;
            for (JsonNode route : vs.spec().path("http")) {
                if (route.has("fault") && (!route.has("match") || stream(route.path("match")).anyMatch(m -> m.size() == 0))) {
                    findings.add(vs + " http[" + i + "]: injects faults into every request, not only a drill's");
                }
                i++;
            }
        }
        return findings;
    }

    /** Every workload carries the app and version labels Kiali and the subsets rely on; every Service app. */
    List<String> appAndVersionLabels() {
        List<String> findings = new ArrayList<>();
        for (Manifest m : all) {
            if (m.isWorkload()) {
                for (String label : List.of("app", "version")) {
                    if (!m.podLabels().has(label) || !m.json().path("metadata").path("labels").has(label)) {
                        findings.add(m + ": missing the '" + label + "' label (on the object or its pod template)");
                    }
                }
            } else if (m.is("Service") && !m.json().path("metadata").path("labels").has("app")) {
                findings.add(m + ": missing the 'app' label");
            }
        }
        return findings;
    }

    /** Probes point at ports the container exposes and, for our services, at paths they serve. */
    List<String> probesPointAtRealEndpoints() {
        List<String> findings = new ArrayList<>();
        for (Manifest w : all.stream().filter(Manifest::isWorkload).toList()) {
            for (JsonNode container : w.spec().path("template").path("spec").path("containers")) {
                boolean ours = container.path("image").asText().startsWith("ms-")
                        || container.path("image").asText().contains("/ms-");
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    JsonNode http = container.path(probe).path("httpGet");
                    if (http.isMissingNode()) {
                        continue;
                    }
                    String port = http.path("port").asText();
                    boolean exposed = stream(container.path("ports")).anyMatch(p -> p.path("name").asText().equals(port)
                            || p.path("containerPort").asText().equals(port));
                    if (!exposed) {
                        findings.add(w + ": " + probe + " port " + port + " is not a container port");
                    }
                    if (ours && !APP_PATHS.contains(http.path("path").asText())) {
                        findings.add(w + ": " + probe + " path " + http.path("path").asText() + " is not served");
                    }
                }
            }
        }
        return findings;
    }

    /** Every image of ours is one scripts/build-images.sh builds. */
    List<String> imagesAreBuilt() {
        Set<String> built = builtImages();
        List<String> findings = new ArrayList<>();
        for (Manifest w : all.stream().filter(Manifest::isWorkload).toList()) {
            for (JsonNode container : w.spec().path("template").path("spec").path("containers")) {
                String image = container.path("image").asText();
                String repository = image.replaceFirst(":[^/:]+$", "").replaceFirst(".*/", "");
                if (repository.startsWith("ms-") && !built.contains(repository)) {
                    findings.add(w + ": image " + image + " is not built by scripts/build-images.sh " + built);
                }
            }
        }
        return findings;
    }

    static Set<String> builtImages() {
        try {
            String script = Files.readString(Kustomize.root().resolve("scripts/build-images.sh"));
            Matcher m = Pattern.compile("IMAGES=\\(([^)]*)\\)").matcher(script);
            if (!m.find()) {
                throw new IllegalStateException("scripts/build-images.sh has no IMAGES=(...) list");
            }
            return new HashSet<>(List.of(m.group(1).trim().split("\\s+")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Manifest> of(String... kinds) {
        Set<String> wanted = Set.of(kinds);
        return all.stream().filter(m -> wanted.contains(m.kind())).toList();
    }

    private List<Manifest> workloadsMatching(JsonNode selector) {
        Map<String, String> wanted = map(selector);
        return all.stream().filter(Manifest::isWorkload).filter(w -> contains(map(w.podLabels()), wanted)).toList();
    }

    private Manifest service(String host, String namespace) {
        String name = host.split("\\.")[0];
        String ns = host.contains(".") ? host.split("\\.")[1] : namespace;
        return of("Service").stream().filter(s -> s.name().equals(name) && s.namespace().equals(ns)).findFirst().orElse(null);
    }

    private boolean subsetDefined(String host, String subset, String namespace) {
        Manifest target = service(host, namespace);
        return of("DestinationRule").stream()
                .filter(dr -> Objects.equals(service(dr.spec().path("host").asText(), dr.namespace()), target))
                .flatMap(dr -> stream(dr.spec().path("subsets")))
                .anyMatch(s -> s.path("name").asText().equals(subset));
    }

    private static List<JsonNode> containerPorts(Manifest workload) {
        return stream(workload.spec().path("template").path("spec").path("containers"))
                .flatMap(c -> stream(c.path("ports"))).toList();
    }

    static boolean contains(Map<String, String> labels, Map<String, String> wanted) {
        return !wanted.isEmpty() && labels.entrySet().containsAll(wanted.entrySet());
    }

    static Map<String, String> map(JsonNode node) {
        Map<String, String> map = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }

    static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }
}
