package io.example.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every RequestAuthentication's jwksUri can be fetched by whoever fetches it under the install profile: istiod
 * (no sidecar, plain text) or the sidecar of each selected workload (its own principal, over mTLS), through the
 * PeerAuthentication and AuthorizationPolicy of the workload behind the URI. A fetch that fails leaves the
 * sidecar with keys nobody signs with: every token is answered 401.
 */
final class JwksRule {
    private JwksRule() {
    }

    /**
     * @param manifests rendered objects of kubernetes/ and istio/
     * @param profile   the install profile
     * @return one line per fetch that would be refused
     */
    static List<String> findings(List<Manifest> manifests, IstioProfile profile) {
        MeshAccess access = new MeshAccess(manifests);
        List<String> findings = new ArrayList<>();
        for (Manifest ra : manifests.stream().filter(m -> m.is("RequestAuthentication")).toList()) {
            List<MeshAccess.Caller> fetchers = switch (profile.jwksFetcher()) {
                case ISTIOD -> List.of(MeshAccess.Caller.ISTIOD);
                case SIDECAR -> access.selected(ra.spec().path("selector").path("matchLabels"), ra.namespace()).stream()
                        .map(w -> access.caller(w.name())).toList();
            };
            for (JsonNode rule : ra.spec().path("jwtRules")) {
                if (rule.has("jwksUri")) {
                    findings.addAll(fetch(manifests, access, ra, URI.create(rule.path("jwksUri").asText()), fetchers));
                }
            }
        }
        return findings;
    }

    private static List<String> fetch(List<Manifest> manifests, MeshAccess access, Manifest ra, URI uri,
                                      List<MeshAccess.Caller> fetchers) {
        String[] host = uri.getHost().split("\\.");
        String namespace = host.length > 1 ? host[1] : ra.namespace();
        int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        Manifest service = manifests.stream()
                .filter(m -> m.is("Service") && m.name().equals(host[0]) && m.namespace().equals(namespace))
                .findFirst().orElse(null);
        if (service == null) {
            return List.of(ra + ": jwksUri " + uri + " is not a Service of the mesh");
        }
        JsonNode servicePort = MeshChecks.stream(service.spec().path("ports"))
                .filter(p -> p.path("port").asInt() == port).findFirst().orElse(null);
        if (servicePort == null) {
            return List.of(ra + ": jwksUri " + uri + ": Service " + service.name() + " has no port " + port);
        }
        List<String> findings = new ArrayList<>();
        for (Manifest target : access.workloadsOf(service)) {
            int containerPort = MeshAccess.containerPort(target, servicePort.path("targetPort").asText(Integer.toString(port)));
            for (MeshAccess.Caller fetcher : fetchers) {
                MeshAccess.Verdict verdict = access.decide(fetcher, target.name(), containerPort, "GET", uri.getPath());
                if (!verdict.allowed()) {
                    findings.add(ra + ": " + fetcher.name() + " cannot fetch " + uri + ": " + verdict.reason());
                }
            }
        }
        return findings;
    }
}
