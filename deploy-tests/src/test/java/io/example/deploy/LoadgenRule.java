package io.example.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.example.loadgen.LoadgenCommandLine;

import static io.example.deploy.MeshChecks.contains;
import static io.example.deploy.MeshChecks.map;
import static io.example.deploy.MeshChecks.stream;

/**
 * The in-cluster load generator (kubernetes/components/loadgen) keeps the Kiali graph green: it calls the Istio
 * ingress gateway's Service as a user would (a pod outside the mesh cannot call the Java gateway directly: STRICT
 * mTLS and its AuthorizationPolicy refuse it), stays under the gateway's rate limits (a 429 is red in Kiali), and
 * runs as one replica, since its login and anonymous pacing is per process and the gateway's limits per address.
 * Its args are read with loadgen's own parser, so the options it leaves out count with loadgen's defaults.
 */
final class LoadgenRule {
    private static final String IMAGE = "ms-loadgen";

    private LoadgenRule() {
    }

    /**
     * @param manifests rendered objects of kubernetes/ and istio/
     * @return one line per broken promise of each loadgen Deployment
     */
    static List<String> findings(List<Manifest> manifests) {
        List<String> findings = new ArrayList<>();
        for (Manifest loadgen : loadgens(manifests)) {
            findings.addAll(oneReplica(loadgen, manifests));
            List<String> args = stream(loadgen.spec().at("/template/spec/containers/0/args")).map(JsonNode::asText).toList();
            LoadgenCommandLine options;
            try {
                options = LoadgenCommandLine.parse(args);
            } catch (IllegalArgumentException e) {
                findings.add(loadgen + ": loadgen refuses its args " + args + ": " + e.getMessage());
                continue;
            }
            findings.addAll(withinRateLimits(loadgen, options, manifests));
            findings.addAll(throughTheIngress(loadgen, options.base(), manifests));
        }
        return findings;
    }

    /**
     * @param manifests rendered objects
     * @return the Deployments that run loadgen's image
     */
    private static List<Manifest> loadgens(List<Manifest> manifests) {
        return manifests.stream().filter(Manifest::isWorkload)
                .filter(w -> stream(w.spec().path("template").path("spec").path("containers"))
                        .anyMatch(c -> c.path("image").asText().matches("(.*/)?" + IMAGE + "(:.*)?")))
                .toList();
    }

    private static List<String> oneReplica(Manifest loadgen, List<Manifest> manifests) {
        List<String> findings = new ArrayList<>();
        if (loadgen.spec().path("replicas").asInt(1) != 1) {
            findings.add(loadgen + ": runs " + loadgen.spec().path("replicas").asInt() + " replicas; its pacing is per process, "
                                 + "so each would take the whole of the gateway's per-address limits");
        }
        manifests.stream().filter(m -> m.is("HorizontalPodAutoscaler"))
                .filter(hpa -> hpa.spec().path("scaleTargetRef").path("name").asText().equals(loadgen.name()))
                .forEach(hpa -> findings.add(loadgen + ": " + hpa + " scales it; it must stay one replica"));
        return findings;
    }

    private static List<String> withinRateLimits(Manifest loadgen, LoadgenCommandLine options, List<Manifest> manifests) {
        Manifest gateway = manifests.stream().filter(m -> m.is("Deployment") && m.name().equals("gateway")).findFirst().orElseThrow();
        Map<String, String> limits = gateway.environment(manifests);
        List<String> findings = new ArrayList<>();
        for (String limit : List.of("LOGIN_RATE_LIMIT_PER_MINUTE", "RATE_LIMIT_PER_SECOND")) {
            if (!limits.containsKey(limit)) {
                findings.add(gateway + ": states no " + limit + ", so loadgen's rates cannot be checked against it");
            }
        }
        if (!findings.isEmpty()) {
            return findings;
        }
        double loginLimit = Double.parseDouble(limits.get("LOGIN_RATE_LIMIT_PER_MINUTE"));
        double requestLimit = Double.parseDouble(limits.get("RATE_LIMIT_PER_SECOND"));
        if (options.loginsPerMinute() >= loginLimit) {
            findings.add(loadgen + ": --login-rate " + options.loginsPerMinute() + "/min is not below the gateway's "
                                 + "LOGIN_RATE_LIMIT_PER_MINUTE " + limits.get("LOGIN_RATE_LIMIT_PER_MINUTE") + ": logins get 429");
        }
        if (options.userRequestsPerSecond() >= requestLimit) {
            findings.add(loadgen + ": --rate / --users is " + options.userRequestsPerSecond() + "/s per user, not below the "
                                 + "gateway's RATE_LIMIT_PER_SECOND " + limits.get("RATE_LIMIT_PER_SECOND") + ": calls get 429");
        }
        if (options.anonymousPerSecond() >= requestLimit) {
            findings.add(loadgen + ": --anonymous-rate " + options.anonymousPerSecond() + "/s is not below the gateway's "
                                 + "RATE_LIMIT_PER_SECOND " + limits.get("RATE_LIMIT_PER_SECOND") + ": calls get 429");
        }
        return findings;
    }

    // The ingress Service, on a port and scheme a Gateway on the ingress serves; anything else is a call from outside
    // the mesh straight to a workload, which the mesh model decides (and a Service of ours would refuse).
    private static List<String> throughTheIngress(Manifest loadgen, URI base, List<Manifest> manifests) {
        if (isIngressService(base.getHost())) {
            int port = base.getPort() > 0 ? base.getPort() : base.getScheme().equals("https") ? 443 : 80;
            boolean served = manifests.stream().filter(m -> m.is("Gateway"))
                    .filter(gw -> MeshChecks.EXTERNAL_WORKLOADS.stream().anyMatch(w -> contains(w, map(gw.spec().path("selector")))))
                    .flatMap(gw -> stream(gw.spec().path("servers")))
                    .anyMatch(s -> s.path("port").path("number").asInt() == port
                            && s.path("port").path("protocol").asText().equalsIgnoreCase(base.getScheme()));
            return served ? List.of()
                    : List.of(loadgen + ": --base " + base + ": no Gateway on the ingress serves " + base.getScheme() + " on port " + port);
        }
        MeshAccess access = new MeshAccess(manifests);
        List<String> verdicts = access.request(access.caller(loadgen.name()), base.resolve("/api/products"), loadgen.namespace(), "GET")
                .stream().map(MeshAccess.Verdict::reason).toList();
        return List.of(loadgen + ": --base " + base + " is not the ingress gateway's Service " + MeshChecks.INGRESS_SERVICE
                               + ", so its calls skip the way users come in: " + verdicts);
    }

    private static boolean isIngressService(String host) {
        return List.of(MeshChecks.INGRESS_SERVICE, MeshChecks.INGRESS_SERVICE + ".svc", MeshChecks.INGRESS_SERVICE + ".svc.cluster.local")
                .contains(host);
    }
}
