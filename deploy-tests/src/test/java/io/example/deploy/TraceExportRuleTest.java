package io.example.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services' spans go to the collector the sidecars' go to, and the mesh lets them: kubernetes/ and istio/ rendered
 * together with every component on (Flagger's primary of product-service included), and the broken forms the rule catches.
 */
class TraceExportRuleTest {
    private static final IstioProfile PROFILE = IstioProfile.load();
    private static final List<Manifest> real = Kustomize.everything();
    private static final String COLLECTOR = "http://jaeger-collector.istio-system.svc.cluster.local:4318";

    @Test
    void everyServiceExportsOtlpOverHttpToTheSidecarsCollector() {
        assertThat(TraceExportRule.findings(real, PROFILE)).isEmpty();
        assertThat(TracingRule.collectors(real, PROFILE)).extracting(IstioProfile.CollectorAddress::service)
                .containsExactly("jaeger-collector.istio-system.svc.cluster.local");
        assertThat(real.stream().filter(m -> m.is("Deployment") && TraceExportRule.SERVICES.contains(m.service())))
                .extracting(Manifest::name)
                .containsExactlyInAnyOrder("gateway", "auth-service", "product-service", "order-service", "product-service-primary");
    }

    @Test
    void eachPodNamesItsServiceVersionNamespaceAndItself() {
        Map<String, String> v1 = environment("product-service");
        Map<String, String> primary = environment("product-service-primary");

        assertThat(v1).containsEntry("OTEL_TRACES_EXPORTER", "otlp").containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", COLLECTOR)
                .containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .containsEntry("OTEL_TRACES_SAMPLER", "parentbased_traceidratio").containsEntry("OTEL_TRACES_SAMPLER_ARG", "0.01")
                .containsEntry("OTEL_SERVICE_NAME", "product-service")
                .containsEntry("OTEL_RESOURCE_ATTRIBUTES", "service.namespace=microservices,service.version=v1,"
                        + "k8s.namespace.name=microservices,k8s.pod.name=<metadata.name>");
        // Flagger's primary: app product-service-primary, still the service product-service at the version it was promoted with
        assertThat(primary).containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", COLLECTOR).containsEntry("OTEL_SERVICE_NAME", "product-service")
                .containsEntry("OTEL_RESOURCE_ATTRIBUTES", "service.namespace=microservices,service.version=v1,"
                        + "k8s.namespace.name=microservices,k8s.pod.name=<metadata.name>");
        assertThat(environment("gateway")).containsEntry("OTEL_SERVICE_NAME", "gateway").containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", COLLECTOR);
    }

    @Test
    void theSidecarsGrpcPortIsCaught() {
        List<String> findings = TraceExportRule.findings(tracingConfig("OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger-collector.istio-system:4317"), PROFILE);

        assertThat(findings).hasSize(5).allSatisfy(f -> assertThat(f).contains("names port 4317 (grpc-otel), not the add-on's http-otel port"));
    }

    @Test
    void anotherBackendThanTheSidecarsIsCaught() {
        List<String> findings = TraceExportRule.findings(tracingConfig("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability:4318"), PROFILE);

        assertThat(findings).hasSize(5).allSatisfy(f -> assertThat(f).contains("is not jaeger-collector.istio-system.svc.cluster.local"));
    }

    @Test
    void grpcOrNoExporterIsCaught() {
        assertThat(TraceExportRule.findings(tracingConfig("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), PROFILE))
                .contains("Deployment/gateway: OTEL_EXPORTER_OTLP_PROTOCOL is 'grpc', not 'http/protobuf'");
        assertThat(TraceExportRule.findings(Mutations.change(real, "Deployment", "order-service",
                                                             d -> ((ArrayNode) d.at("/spec/template/spec/containers/0/envFrom")).remove(1)), PROFILE))
                .contains("Deployment/order-service: OTEL_TRACES_EXPORTER is '', not 'otlp'");
    }

    @Test
    void aRootSampleRateOtherThanTheMeshsIsCaught() {
        List<Manifest> meshAtHalf = Mutations.change(real, "Telemetry", "default",
                                                     t -> ((ObjectNode) t.at("/spec/tracing/0")).put("randomSamplingPercentage", 50.0));

        assertThat(TraceExportRule.findings(meshAtHalf, PROFILE)).hasSize(6)
                .filteredOn(f -> f.startsWith("Deployment/"))
                .hasSize(5)
                .allSatisfy(f -> assertThat(f).contains("OTEL_TRACES_SAMPLER_ARG is '0.01', not the mesh's 50.0% as a ratio (0.5)"));
        assertThat(TraceExportRule.findings(tracingConfig("OTEL_TRACES_SAMPLER", "traceidratio"), PROFILE))
                .contains("Deployment/auth-service: OTEL_TRACES_SAMPLER is 'traceidratio', not 'parentbased_traceidratio'");
    }

    @Test
    void theMeshTracesOnePercentIstiosDefaultAndAnIngressLeftBehindARaisedRateIsCaught() throws IOException {
        String committed = Files.readString(Kustomize.root().resolve(IstioProfile.PATH));
        String stated = "      tracing:\n        sampling: 1.0\n";
        IstioProfile withoutRate = IstioProfile.parse(committed.replace(stated, ""));
        List<Manifest> meshAtTen = Mutations.change(real, "Telemetry", "default",
                                                    t -> ((ObjectNode) t.at("/spec/tracing/0")).put("randomSamplingPercentage", 10.0));

        assertThat(committed).contains(stated);
        assertThat(PROFILE.proxySamplingPercentage()).isEqualTo(1.0);
        assertThat(withoutRate.proxySamplingPercentage()).as("istiod's chart default").isEqualTo(1.0);
        assertThat(TraceExportRule.findings(real, withoutRate)).isEmpty();
        assertThat(TraceExportRule.findings(meshAtTen, PROFILE)).contains(
                "the ingress gateway (istio-system) starts traces at 1.0%, not the 10.0% of microservices's Telemetry: "
                        + "it decides for every request from outside");
    }

    @Test
    void thePrimaryReportingItsAppLabelAsItsVersionIsCaught() {
        List<Manifest> broken = Mutations.change(real, "Deployment", "product-service-primary",
                                                 d -> ((ObjectNode) d.at("/spec/template/spec/containers/0/env/2/valueFrom/fieldRef"))
                                                         .put("fieldPath", "metadata.labels['app']"));

        assertThat(TraceExportRule.findings(broken, PROFILE))
                .containsExactly("Deployment/product-service-primary: OTEL_RESOURCE_ATTRIBUTES gives service.version=product-service-primary, not v1");
    }

    @Test
    void aDestinationRuleWithMutualTlsToTheCollectorIsCaught() {
        List<Manifest> broken = with("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: everything-mutual
                  namespace: microservices
                spec:
                  host: "*.istio-system.svc.cluster.local"
                  trafficPolicy:
                    tls:
                      mode: ISTIO_MUTUAL
                """);

        assertThat(TraceExportRule.findings(broken, PROFILE)).hasSize(5)
                .allSatisfy(f -> assertThat(f).contains("DestinationRule/everything-mutual makes its sidecar speak TLS to "
                                                                + "jaeger-collector.istio-system.svc.cluster.local:4318"));
    }

    @Test
    void aSidecarResourceThatHidesTheCollectorIsCaughtOneThatShowsItPasses() {
        String sidecar = """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: default
                  namespace: microservices
                spec:
                  egress:
                    - hosts:
                        - "./*"
                %s""";

        assertThat(TraceExportRule.findings(with(sidecar.formatted("")), PROFILE)).hasSize(5)
                .allSatisfy(f -> assertThat(f).contains("Sidecar/default leaves jaeger-collector.istio-system.svc.cluster.local:4318 out of its egress"));
        assertThat(TraceExportRule.findings(with(sidecar.formatted("        - istio-system/jaeger-collector.istio-system.svc.cluster.local\n")),
                                            PROFILE)).isEmpty();
    }

    @Test
    void anEgressNetworkPolicyMustLetExactlyTheCollectorPortThrough() {
        String policy = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: egress
                  namespace: microservices
                spec:
                  podSelector: {}
                  policyTypes: ["Egress"]
                  egress:
                    - to:
                        - namespaceSelector:
                            matchLabels:
                              kubernetes.io/metadata.name: istio-system
                      ports:
                        - port: %d
                """;

        assertThat(TraceExportRule.findings(with(policy.formatted(4318)), PROFILE)).isEmpty();
        assertThat(TraceExportRule.findings(with(policy.formatted(4317)), PROFILE)).hasSize(5)
                .allSatisfy(f -> assertThat(f).contains("[NetworkPolicy/egress] limit its egress and none lets it reach "
                                                                + "jaeger-collector.istio-system.svc.cluster.local:4318"));
    }

    @Test
    void takingTheCollectorPortFromTheSidecarIsCaught() {
        List<Manifest> broken = Mutations.change(real, "Deployment", "gateway",
                                                 d -> ((ObjectNode) d.at("/spec/template/metadata/annotations")).put(MeshAccess.EXCLUDE_OUTBOUND, "4318"));

        assertThat(TraceExportRule.findings(broken, PROFILE)).singleElement().asString()
                .startsWith("Deployment/gateway: port 4318 is excluded from its sidecar");
    }

    @Test
    void hostsAreResolvedAsAPodOfTheNamespaceWritesThem() {
        assertThat(TraceExportRule.fqdn("jaeger-collector.istio-system", "microservices")).isEqualTo("jaeger-collector.istio-system.svc.cluster.local");
        assertThat(TraceExportRule.fqdn("gateway", "microservices")).isEqualTo("gateway.microservices.svc.cluster.local");
        assertThat(TraceExportRule.fqdn("zipkin.istio-system.svc", "microservices")).isEqualTo("zipkin.istio-system.svc.cluster.local");
    }

    private static Map<String, String> environment(String deployment) {
        return real.stream().filter(m -> m.is("Deployment") && m.name().equals(deployment)).findFirst().orElseThrow().environment(real);
    }

    private static List<Manifest> tracingConfig(String key, String value) {
        return Mutations.change(real, "ConfigMap", "tracing", cm -> ((ObjectNode) cm.path("data")).put(key, value));
    }

    private static List<Manifest> with(String yaml) {
        List<Manifest> more = new ArrayList<>(real);
        more.addAll(Kustomize.parse(yaml));
        return more;
    }
}
