package io.example.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The install profile, {@code istio/install/istio-operator.yaml}: the part of an {@code IstioOperator} this
 * project sets, read strictly (an unknown or misspelt field fails, as fabric8's models do for the manifests;
 * fabric8 has no IstioOperator model). Field names follow Istio's operator types (operator/pkg/apis) and mesh
 * config (istio/api mesh/v1alpha1). What the profile leaves out comes from {@link IstioDefaults} of its tag.
 *
 * @param apiVersion {@code install.istio.io/v1alpha1}
 * @param kind       {@code IstioOperator}
 * @param metadata   name and namespace
 * @param spec       the installation
 */
record IstioProfile(String apiVersion, String kind, Metadata metadata, Spec spec) {
    static final String PATH = "istio/install/istio-operator.yaml";
    private static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    record Metadata(String name, String namespace) {
    }

    record Spec(String profile, String hub, String tag, MeshConfig meshConfig, Values values) {
    }

    record MeshConfig(String accessLogFile, String accessLogEncoding, OutboundTrafficPolicy outboundTrafficPolicy,
                      ProxyConfig defaultConfig, List<ExtensionProvider> extensionProviders,
                      DefaultProviders defaultProviders) {
    }

    record OutboundTrafficPolicy(String mode) {
    }

    record ProxyConfig(Boolean holdApplicationUntilProxyStarts, String terminationDrainDuration, ProxyTracing tracing) {
    }

    record ProxyTracing(Double sampling) {
    }

    record ExtensionProvider(String name, CollectorAddress opentelemetry, CollectorAddress zipkin) {
        Optional<CollectorAddress> tracingCollector() {
            return Optional.ofNullable(opentelemetry).or(() -> Optional.ofNullable(zipkin));
        }
    }

    record CollectorAddress(String service, int port) {
    }

    record DefaultProviders(List<String> tracing) {
    }

    record Values(Pilot pilot) {
    }

    record Pilot(Map<String, String> env) {
    }

    /**
     * @return the committed profile
     */
    static IstioProfile load() {
        try {
            return parse(Files.readString(Kustomize.root().resolve(PATH)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param yaml an IstioOperator
     * @return the profile
     */
    static IstioProfile parse(String yaml) {
        try {
            return STRICT.readValue(yaml, IstioProfile.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an install profile this project understands: " + e.getMessage(), e);
        }
    }

    /**
     * @param tag an Istio version
     * @return a profile that sets nothing but the version: Istio's defaults throughout, as `istioctl install`
     *         without this project's profile would install it
     */
    static IstioProfile bare(String tag) {
        return new IstioProfile("install.istio.io/v1alpha1", "IstioOperator", null, new Spec(null, null, tag, null, null));
    }

    /**
     * @return the defaults of the pinned version (spec.tag)
     */
    IstioDefaults defaults() {
        return IstioDefaults.of(spec.tag());
    }

    /**
     * @param name a provider name
     * @return the tracing provider of that name the profile defines
     */
    Optional<ExtensionProvider> tracingProvider(String name) {
        return mesh().map(MeshConfig::extensionProviders).orElse(List.of()).stream()
                .filter(p -> p.name().equals(name) && p.tracingCollector().isPresent())
                .findFirst();
    }

    /**
     * @return the tracing providers a Telemetry without providers falls back on
     */
    List<String> defaultTracingProviders() {
        return mesh().map(MeshConfig::defaultProviders).map(DefaultProviders::tracing).orElse(List.of());
    }

    String outboundTrafficPolicy() {
        return mesh().map(MeshConfig::outboundTrafficPolicy).map(OutboundTrafficPolicy::mode)
                .orElse(defaults().outboundTrafficPolicy());
    }

    boolean holdsApplicationUntilProxyStarts() {
        return mesh().map(MeshConfig::defaultConfig).map(ProxyConfig::holdApplicationUntilProxyStarts).orElse(false);
    }

    /**
     * @return the percentage of new traces a proxy no Telemetry covers samples (the ingress gateway's, here):
     *         {@code meshConfig.defaultConfig.tracing.sampling}, else the version's default
     */
    double proxySamplingPercentage() {
        return mesh().map(MeshConfig::defaultConfig).map(ProxyConfig::tracing).map(ProxyTracing::sampling)
                .orElse(defaults().proxySamplingPercentage());
    }

    boolean logsAccess() {
        return mesh().map(MeshConfig::accessLogFile).filter(f -> !f.isBlank()).isPresent();
    }

    private Optional<MeshConfig> mesh() {
        return Optional.ofNullable(spec.meshConfig());
    }
}
