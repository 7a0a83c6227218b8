package io.example.deploy;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Spans leave the sidecars only for a provider the install profile defines: a Telemetry names one (or falls
 * back on the profile's default providers), and that provider's collector is a Service and port of the
 * tracing add-on of the pinned release.
 */
final class TracingRule {
    private TracingRule() {
    }

    /**
     * @param manifests rendered objects
     * @param profile   the install profile
     * @return one line per Telemetry tracing entry that sends nowhere
     */
    static List<String> findings(List<Manifest> manifests, IstioProfile profile) {
        List<String> findings = new ArrayList<>();
        for (Manifest telemetry : manifests.stream().filter(m -> m.is("Telemetry")).toList()) {
            for (JsonNode tracing : telemetry.spec().path("tracing")) {
                List<String> names = providerNames(tracing, profile);
                if (names.isEmpty()) {
                    findings.add(telemetry + ": tracing names no provider and the install profile sets no default "
                                         + "tracing provider; since Istio 1.22 none is on, so no span is sent");
                }
                for (String name : names) {
                    findings.addAll(collectorFindings(telemetry, name, profile));
                }
            }
        }
        return findings;
    }

    /**
     * @param manifests rendered objects
     * @param profile   the install profile
     * @return where the sidecars' spans go: the collector of each provider a Telemetry names (or falls back on) that
     *         the profile defines
     */
    static List<IstioProfile.CollectorAddress> collectors(List<Manifest> manifests, IstioProfile profile) {
        return manifests.stream().filter(m -> m.is("Telemetry"))
                .flatMap(t -> MeshChecks.stream(t.spec().path("tracing")))
                .flatMap(tracing -> providerNames(tracing, profile).stream())
                .flatMap(name -> profile.tracingProvider(name).flatMap(IstioProfile.ExtensionProvider::tracingCollector).stream())
                .distinct()
                .toList();
    }

    private static List<String> providerNames(JsonNode tracing, IstioProfile profile) {
        List<String> names = tracing.path("providers").findValuesAsText("name");
        return names.isEmpty() ? profile.defaultTracingProviders() : names;
    }

    private static List<String> collectorFindings(Manifest telemetry, String name, IstioProfile profile) {
        var provider = profile.tracingProvider(name);
        if (provider.isEmpty()) {
            return List.of(telemetry + ": tracing provider " + name + " is not a tracing extensionProvider of "
                                   + IstioProfile.PATH);
        }
        var collector = provider.get().tracingCollector().orElseThrow();
        var ports = profile.defaults().addonServices().get(collector.service());
        if (ports == null || !ports.containsKey(collector.port())) {
            return List.of(telemetry + ": provider " + name + " sends to " + collector.service() + ":" + collector.port()
                                   + ", which the add-ons of Istio " + profile.defaults().minor() + " do not serve "
                                   + profile.defaults().addonServices());
        }
        return List.of();
    }
}
