package io.example.deploy;

import java.util.List;
import java.util.Map;

/**
 * What an Istio minor version does where neither the install profile nor a manifest says anything, read from
 * Istio's own sources (istio/istio at the tag named, istio/api for the mesh config): the checks fall back on
 * these, so a rule such as "no retry replays a POST" holds for the version actually installed.
 *
 * @param minor                 e.g. {@code 1.31}
 * @param retryOn               the retry conditions of a route without {@code retries}
 *                              (pilot/pkg/networking/core/route/retry/retry.go)
 * @param retriableStatusCodes  the status codes retried by default; 503 until 1.23, none from 1.24 on
 *                              (EXCLUDE_UNSAFE_503_FROM_DEFAULT_RETRY, istio#50506)
 * @param outboundTrafficPolicy meshConfig.outboundTrafficPolicy.mode when unset (pkg/config/mesh/mesh.go)
 * @param addonServices         the Services of samples/addons of that release that a tracing provider or
 *                              an app's exporter can point at, with their ports by number and name (the name
 *                              tells Istio the protocol: {@code grpc-otel} is OTLP/gRPC, {@code http-otel} OTLP/HTTP)
 * @param minKubernetes         the oldest Kubernetes minor it supports (istioctl/pkg/install/k8sversion)
 * @param proxySamplingPercentage the percentage of new traces a proxy samples when neither a Telemetry nor
 *                              meshConfig.defaultConfig.tracing.sampling says: istiod's chart sets
 *                              PILOT_TRACE_SAMPLING to its pilot.traceSampling, 1.0
 *                              (manifests/charts/istio-control/istio-discovery/values.yaml)
 */
record IstioDefaults(String minor, String retryOn, List<Integer> retriableStatusCodes,
                     String outboundTrafficPolicy, Map<String, Map<Integer, String>> addonServices, int minKubernetes,
                     double proxySamplingPercentage) {
    private static final String RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
    // samples/addons/jaeger.yaml, the same at 1.23.6 and 1.31.0-rc.0
    private static final Map<String, Map<Integer, String>> JAEGER_ADDON = Map.of(
            "jaeger-collector.istio-system.svc.cluster.local", Map.of(14268, "jaeger-collector-http", 14250, "jaeger-collector-grpc",
                                                                     9411, "http-zipkin", 4317, "grpc-otel", 4318, "http-otel"),
            "zipkin.istio-system.svc.cluster.local", Map.of(9411, "http-query"));

    /** Read at tag 1.31.0-rc.0, the candidate before 1.31.0 (the defaults above are the same in 1.30.3). */
    static final IstioDefaults V1_31 = new IstioDefaults("1.31", RETRY_ON, List.of(), "ALLOW_ANY", JAEGER_ADDON, 32, 1.0);
    /** Before the 503 was taken out of the default retry policy: what "no retries stated" meant there. */
    static final IstioDefaults V1_23 = new IstioDefaults("1.23", RETRY_ON, List.of(503), "ALLOW_ANY", JAEGER_ADDON, 26, 1.0);

    /**
     * @param version an Istio version, e.g. {@code 1.31.0}
     * @return its defaults
     * @throws IllegalArgumentException for a version whose defaults were not read: pinning a new version means
     *                                  reading its sources and adding it here
     */
    static IstioDefaults of(String version) {
        String minor = version.replaceFirst("^(\\d+\\.\\d+).*", "$1");
        return switch (minor) {
            case "1.31" -> V1_31;
            case "1.23" -> V1_23;
            default -> throw new IllegalArgumentException("no recorded defaults for Istio " + version
                                                                  + ": read them from its sources into IstioDefaults");
        };
    }
}
