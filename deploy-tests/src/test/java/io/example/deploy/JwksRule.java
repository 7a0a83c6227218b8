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
                    findings.addAll(fetch(access, ra, URI.create(rule.path("jwksUri").asText()), fetchers));
                }
            }
        }
        return findings;
    }

    private static List<String> fetch(MeshAccess access, Manifest ra, URI uri, List<MeshAccess.Caller> fetchers) {
        return fetchers.stream()
                .flatMap(fetcher -> access.request(fetcher, uri, ra.namespace(), "GET").stream().filter(v -> !v.allowed())
                        .map(v -> ra + ": " + fetcher.name() + " cannot fetch " + uri + ": " + v.reason()))
                .toList();
    }
}
