package io.example.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each check passes on the real manifests (with every optional component on) and catches a manifest
 * broken on purpose in the way it looks for.
 */
class MeshChecksTest {
    private static final List<Manifest> real = Kustomize.everything();

    @Test
    void kia0004SelectorMatchesNoWorkload() {
        check(MeshChecks::selectorsMatchWorkloads, "KIA0004",
              broken("AuthorizationPolicy", "order-service", m -> labels(m, "/spec/selector/matchLabels").put("app", "orders")));
    }

    @Test
    void kia0106PrincipalWithoutServiceAccount() {
        check(MeshChecks::principalsHaveServiceAccounts, "KIA0106", without("ServiceAccount", "order-service"));
    }

    @Test
    void kia0202DestinationRuleHostNotFound() {
        check(MeshChecks::destinationRuleHostsExist, "KIA0202",
              broken("DestinationRule", "auth-service", m -> ((ObjectNode) m.at("/spec")).put("host", "auth.microservices.svc.cluster.local")));
    }

    @Test
    void kia0203SubsetLabelsMatchNoPods() {
        check(MeshChecks::subsetsMatchPods, "KIA0203",
              broken("DestinationRule", "order-service", m -> ((ObjectNode) m.at("/spec")).putArray("subsets").addObject()
                      .put("name", "v3").putObject("labels").put("version", "v3")));
    }

    @Test
    void kia0207StrictMtlsWithADisablingDestinationRule() {
        check(MeshChecks::strictMtlsIsNotDisabled, "KIA0207",
              broken("DestinationRule", "gateway", m -> labels(m, "/spec/trafficPolicy/tls").put("mode", "DISABLE")));
    }

    @Test
    void kia0301TwoGatewaysOnOneHostAndPort() {
        List<Manifest> twice = new ArrayList<>(real);
        Manifest copy = Mutations.copy(real.stream().filter(m -> m.is("Gateway")).findFirst().orElseThrow());
        ((ObjectNode) copy.json().at("/metadata")).put("name", "another-gateway");
        twice.add(copy);
        check(MeshChecks::gatewayHostsAreUnique, "KIA0301", twice);
    }

    @Test
    void kia0302GatewaySelectorMatchesNothing() {
        check(MeshChecks::gatewaySelectorsMatch, "KIA0302",
              broken("Gateway", "shop-gateway", m -> labels(m, "/spec/selector").put("istio", "egressgateway")));
    }

    @Test
    void kia0601ServicePortWithoutProtocolName() {
        check(MeshChecks::servicePortsAreNamed, "KIA0601",
              broken("Service", "order-service", m -> ((ObjectNode) m.at("/spec/ports/0")).put("name", "web")));
    }

    @Test
    void kia0701ServicePortThatNoContainerExposes() {
        check(MeshChecks::servicePortsReachContainers, "KIA0701",
              broken("Service", "gateway", m -> ((ObjectNode) m.at("/spec/ports/0")).put("targetPort", 9090)));
    }

    @Test
    void kia1101VirtualServiceToAMissingHost() {
        check(MeshChecks::virtualServiceReferencesExist, "KIA1101",
              broken("VirtualService", "order-service",
                     m -> ((ObjectNode) m.at("/spec/http/0/route/0/destination")).put("host", "orders.microservices.svc.cluster.local")));
    }

    @Test
    void kia1102VirtualServiceOnAMissingGateway() {
        check(MeshChecks::virtualServiceReferencesExist, "KIA1102",
              broken("VirtualService", "shop-ingress", m -> ((ArrayNode) m.at("/spec/gateways")).set(0, "shop-gw")));
    }

    @Test
    void kia1107VirtualServiceToAMissingSubset() {
        check(MeshChecks::virtualServiceReferencesExist, "KIA1107",
              broken("VirtualService", "order-service",
                     m -> ((ObjectNode) m.at("/spec/http/0/route/0/destination")).put("subset", "v3")));
    }

    @Test
    void kia1301WorkloadNotCoveredByAuthorization() {
        check(MeshChecks::workloadsAreCoveredByAuthorization, "KIA1301", without("AuthorizationPolicy", "postgres"));
    }

    @Test
    void kia1301CoversTheBrokersTheOperatorMakes() {
        check(MeshChecks::workloadsAreCoveredByAuthorization, "KIA1301 StrimziPodSet/events-dual-role", without("AuthorizationPolicy", "kafka"));
    }

    @Test
    void kia1301ExemptsTheClientOutsideTheMeshOnly() {
        assertThat(real).as("the component is on").extracting(Manifest::toString).contains("Deployment/loadgen");
        check(MeshChecks::workloadsAreCoveredByAuthorization, "KIA1301 Deployment/loadgen",
              broken("Deployment", "loadgen", m -> labels(m, "/spec/template/metadata/labels").remove("sidecar.istio.io/inject")));
    }

    @Test
    void aServiceSelectingTheClientOutsideTheMesh() {
        List<Manifest> served = new ArrayList<>(real);
        served.addAll(Kustomize.parse("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: loadgen
                  namespace: microservices
                  labels:
                    app: loadgen
                spec:
                  selector:
                    app: loadgen
                  ports:
                    - name: http
                      port: 80
                """));
        check(MeshChecks::workloadsOutsideTheMeshServeNothing, "Deployment/loadgen: opts out of the mesh, yet Service/loadgen selects it",
              served);
    }

    @Test
    void aServiceThatOptsOutOfTheMesh() {
        check(MeshChecks::workloadsOutsideTheMeshServeNothing, "Deployment/gateway: opts out of the mesh, yet Service/gateway selects it",
              broken("Deployment", "gateway", m -> labels(m, "/spec/template/metadata/annotations").put("sidecar.istio.io/inject", "false")));
    }

    @Test
    void aWorkloadLeftOutOfTheMeshUnasked() {
        check(MeshChecks::workloadsOutsideTheMeshServeNothing, "Deployment/order-service: has no sidecar",
              broken("Namespace", "microservices", m -> labels(m, "/metadata/labels").remove("istio-injection")));
    }

    @Test
    void meshVirtualServiceThatRoutesNothing() {
        // the VirtualService istio/gateway.yaml had: only the ingress gateway calls the Java gateway
        List<Manifest> withMeshRoute = new ArrayList<>(real);
        withMeshRoute.addAll(Kustomize.parse("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: gateway
                  namespace: microservices
                spec:
                  hosts: [gateway.microservices.svc.cluster.local]
                  http:
                    - route:
                        - destination:
                            host: gateway.microservices.svc.cluster.local
                """));
        check(MeshChecks::meshVirtualServicesAreUsed, "VirtualService/gateway: applies to calls from sidecars", withMeshRoute);
    }

    @Test
    void replicasNextToAnHpa() {
        check(MeshChecks::autoscaledWorkloadsStateNoReplicas, "Deployment/order-service: sets replicas",
              broken("Deployment", "order-service", m -> ((ObjectNode) m.at("/spec")).put("replicas", 2)));
    }

    @Test
    void metricsAnnotationsOnAPortTheAppDoesNotServe() {
        check(MeshChecks::metricsAreScraped, "Deployment/auth-service: prometheus.io",
              broken("Deployment", "auth-service", m -> labels(m, "/spec/template/metadata/annotations").put("prometheus.io/port", "9090")));
    }

    @Test
    void faultsForEveryRequest() {
        check(MeshChecks::faultsAreScoped, "injects faults into every request",
              broken("VirtualService", "product-service-root", m -> ((ObjectNode) m.at("/spec/http/0")).remove("match")));
    }

    @Test
    void ejectionForTheAnswersAPodGives() {
        check(MeshChecks::ejectionOnlyForUnreachablePods, "DestinationRule/gateway: ejects pods for the answers they give "
                      + "(consecutive5xxErrors 0, consecutiveGatewayErrors 3",
              broken("DestinationRule", "gateway", m -> labels(m, "/spec/trafficPolicy/outlierDetection").put("consecutiveGatewayErrors", 3)));
        check(MeshChecks::ejectionOnlyForUnreachablePods, "DestinationRule/order-service: ejects pods for the answers they give "
                      + "(consecutive5xxErrors 5",
              broken("DestinationRule", "order-service", m -> labels(m, "/spec/trafficPolicy/outlierDetection").remove("consecutive5xxErrors")));
        check(MeshChecks::ejectionOnlyForUnreachablePods, "Canary/product-service: ejects pods",
              broken("Canary", "product-service", m -> labels(m, "/spec/service/trafficPolicy/outlierDetection")
                      .remove("splitExternalLocalOriginErrors")));
    }

    @Test
    void missingAppOrVersionLabel() {
        check(MeshChecks::appAndVersionLabels, "version",
              broken("Deployment", "auth-service", m -> labels(m, "/spec/template/metadata/labels").remove("version")));
    }

    @Test
    void probeOnAPathOrPortThatDoesNotExist() {
        check(MeshChecks::probesPointAtRealEndpoints, "/healthz",
              broken("Deployment", "gateway", m -> ((ObjectNode) m.at("/spec/template/spec/containers/0/readinessProbe/httpGet"))
                      .put("path", "/healthz")));
        check(MeshChecks::probesPointAtRealEndpoints, "port 8081",
              broken("Deployment", "gateway", m -> ((ObjectNode) m.at("/spec/template/spec/containers/0/livenessProbe/httpGet"))
                      .put("port", 8081)));
    }

    @Test
    void imageTheBuildScriptDoesNotBuild() {
        assertThat(MeshChecks.builtImages()).containsExactlyInAnyOrder(
                "ms-gateway", "ms-auth-service", "ms-product-service", "ms-order-service", "ms-loadgen");
        check(MeshChecks::imagesAreBuilt, "ms-orders",
              broken("Deployment", "order-service", m -> ((ObjectNode) m.at("/spec/template/spec/containers/0"))
                      .put("image", "ms-orders:1.0.0")));
        // the optional component's image too
        check(MeshChecks::imagesAreBuilt, "ms-load-generator",
              broken("Deployment", "loadgen", m -> ((ObjectNode) m.at("/spec/template/spec/containers/0"))
                      .put("image", "ms-load-generator:1.0.0")));
    }

    private static void check(Function<MeshChecks, List<String>> check, String expected, List<Manifest> broken) {
        assertThat(check.apply(new MeshChecks(real))).as("findings on the real manifests").isEmpty();
        assertThat(check.apply(new MeshChecks(broken))).as("findings on the broken manifests")
                .anySatisfy(finding -> assertThat(finding).contains(expected));
    }

    private static List<Manifest> broken(String kind, String name, Consumer<ObjectNode> change) {
        return Mutations.change(real, kind, name, change);
    }

    private static List<Manifest> without(String kind, String name) {
        return Mutations.without(real, kind, name);
    }

    private static ObjectNode labels(ObjectNode m, String pointer) {
        return (ObjectNode) m.at(pointer);
    }
}
