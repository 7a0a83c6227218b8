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
                List<String> names = tracing.path("providers").findValuesAsText("name");
                if (names.isEmpty()) {
                    names = profile.defaultTracingProviders();
                    if (names.isEmpty()) {
                        findings.add(telemetry + ": tracing names no provider and the install profile sets no default "
                                             + "tracing provider; since Istio 1.22 none is on, so no span is sent");
                    }
                }
                for (String name : names) {
                    findings.addAll(collectorFindings(telemetry, name, profile));
                }
            }
        }
        return findings;
    }

    private static List<String> collectorFindings(Manifest telemetry, String name, IstioProfile profile) {
        var provider = profile.tracingProvider(name);
        if (provider.isEmpty()) {
            return List.of(telemetry + ": tracing provider " + name + " is not a tracing extensionProvider of "
                                   + IstioProfile.PATH);
        }
        var collector = provider.get().tracingCollector().orElseThrow();
        var ports = profile.defaults().addonServices().get(collector.service());
        if (ports == null || !ports.contains(collector.port())) {
            return List.of(telemetry + ": provider " + name + " sends to " + collector.service() + ":" + collector.port()
                                   + ", which the add-ons of Istio " + profile.defaults().minor() + " do not serve "
                                   + profile.defaults().addonServices());
        }
        return List.of();
    }
}
