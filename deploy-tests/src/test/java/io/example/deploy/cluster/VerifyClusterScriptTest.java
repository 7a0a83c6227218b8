package io.example.deploy.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/verify-cluster.sh against recorded clusters: a healthy one passes every row and exits 0; each broken
 * promise fails its own row, with the reason, and nothing else, and the script exits 1.
 * Runs that are not about the canary skip it, so their recorded answers need not include Flagger's.
 */
class VerifyClusterScriptTest {
    private static final List<String> CHECKS = List.of("tools", "pods", "kafka", "analyze", "login", "forged-token",
            "ingress-internal", "plaintext", "forbidden-call", "sampling", "trace", "service-spans", "kiali", "canary");

    @Test
    void aHealthyClusterPassesEveryRow() {
        Verification run = StubbedCluster.healthy().verify();

        assertThat(run.results()).containsExactlyEntriesOf(every("PASS"));
        assertThat(run.exitCode()).as(run.table()).isZero();
    }

    @Test
    void theKafkaClusterAndEveryTopicAreReadyAndTheEntityOperatorIsAClientOutsideTheMesh() {
        Verification run = StubbedCluster.healthy().verify("--skip", "canary");

        assertThat(run.detail("kafka")).contains("Kafka events Ready; topics Ready (partitions x replicas): orders 3x3, products 3x3, "
                                                         + "product-service.dlt 3x3, gateway.dlt 3x3");
        assertThat(run.calls()).contains("kubectl wait -n microservices kafka/events --for=condition=Ready --timeout=60s");
        assertThat(run.detail("pods")).contains("14 pods ready", "but events-entity-operator-6f8d9c7b5d-r4x2q (opted out of the mesh");
    }

    @Test
    void theCanaryIsInitialisedAndFlaggersObjectsAndTheRootRouteExist() {
        Verification run = StubbedCluster.healthy().verify("--skip", "pods,analyze,login,forged-token,ingress-internal,plaintext,forbidden-call,sampling,trace,service-spans,kiali");

        assertThat(run.results()).containsEntry("canary", "PASS");
        assertThat(run.detail("canary")).contains("Canary product-service Succeeded; product-service-primary 2 ready");
        assertThat(run.calls()).anyMatch(c -> c.startsWith("kubectl get -n microservices deployment/product-service-primary ")
                && c.contains("virtualservice/product-service-root"));
    }

    @Test
    void theProbePodsAreDeletedAndTheIngressFoundByPortForwardOnKind() {
        Verification run = StubbedCluster.healthy().verify("--skip", "canary");

        assertThat(run.calls()).anyMatch(c -> c.startsWith("kubectl delete pod -n default vc-plaintext-"))
                .anyMatch(c -> c.startsWith("kubectl delete pod -n microservices vc-mesh-probe-"))
                .anyMatch(c -> c.equals("kubectl -n istio-system port-forward service/istio-ingressgateway :80"));
        assertThat(run.detail("login")).contains("http://127.0.0.1:38080 (port-forward)");
    }

    @Test
    void theIngressGatewaysLoadBalancerAddressIsUsedWhenItHasOne() {
        Verification run = StubbedCluster.healthy().with("load-balancer").verify("--skip", "canary");

        assertThat(run.detail("login")).contains("through http://203.0.113.7:80 (load balancer)");
        assertThat(run.calls()).anyMatch(c -> c.startsWith("curl ") && c.endsWith(" http://203.0.113.7:80/api/auth/register"))
                .noneMatch(c -> c.contains("port-forward service/istio-ingressgateway"));
    }

    @Test
    void aGivenIngressIsUsedAsItIs() {
        Verification run = StubbedCluster.healthy().verify("--ingress", "http://127.0.0.1:38080/", "--skip", "canary");

        assertThat(run.detail("login")).contains("through http://127.0.0.1:38080 (given)");
        // not looked up (the sampling row still reads the ingress deployment's listeners)
        assertThat(run.calls()).noneMatch(c -> c.contains("service istio-ingressgateway") || c.contains("service/istio-ingressgateway"));
    }

    @Test
    void theNamespaceOptionIsTheOneAskedAbout() {
        Verification run = StubbedCluster.healthy().verify("--namespace", "shop", "--skip",
                "analyze,login,forged-token,ingress-internal,plaintext,forbidden-call,sampling,trace,service-spans,kiali,canary");

        assertThat(run.calls()).anyMatch(c -> c.startsWith("kubectl get pods -n shop "));
        assertThat(run.results()).containsEntry("pods", "FAIL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"canary-off", "flagger-absent"})
    void withoutTheCanaryComponentOrFlaggerItsRowIsSkippedNotFailed(String scenario) {
        Verification run = StubbedCluster.healthy().with(scenario).verify();

        assertThat(run.results()).containsEntry("canary", "SKIP");
        assertThat(run.detail("canary")).contains("canary component is off");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void aPodThatOptsOutOfTheMeshIsListedNotFailed() {
        Verification run = StubbedCluster.healthy().with("loadgen-on").verify("--skip", "canary");

        assertThat(run.results()).containsEntry("pods", "PASS");
        assertThat(run.detail("pods")).contains("15 pods ready", "but events-entity-operator-6f8d9c7b5d-r4x2q, loadgen-7b9c8d6f54-k2m4x "
                                                                         + "(opted out of the mesh");
        assertThat(run.exitCode()).as(run.table()).isZero();
    }

    @Test
    void skippedChecksAreNotRun() {
        Verification run = StubbedCluster.healthy().verify("--skip", "kiali", "--skip", "trace,service-spans,canary");

        assertThat(run.results()).containsEntry("kiali", "SKIP").containsEntry("trace", "SKIP").containsEntry("service-spans", "SKIP")
                .containsEntry("canary", "SKIP");
        assertThat(run.calls()).noneMatch(c -> c.contains("service/kiali") || c.contains("service/tracing"));
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void anUnknownCheckToSkipIsAUsageError() {
        Verification run = StubbedCluster.healthy().verify("--skip", "kialli");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.progress()).contains("--skip kialli: no such check");
    }

    @ParameterizedTest(name = "{0}: the {1} row fails")
    @CsvSource(delimiter = '|', textBlock = """
            pod-without-sidecar      | pods             | postgres-0 has no istio-proxy sidecar
            sidecar-asked-for-but-missing | pods        | loadgen-7b9c8d6f54-k2m4x has no istio-proxy sidecar
            pod-not-ready            | pods             | order-service-5f6d8b7c49-m2r8d not ready (Running)
            kafka-not-ready          | kafka            | Kafka events is not Ready: error: timed out waiting for the condition on kafkas/events
            topic-not-ready          | kafka            | Kafka events Ready, but topic products not Ready (False); no KafkaTopic gateway.dlt
            analyze-errors           | analyze          | Error [IST0101] (VirtualService microservices/product-service)
            forged-token-accepted    | forged-token     | a token signed by an unknown key was answered 200, not 401
            edge-check-left          | forged-token     | answered 401 by the gateway's sidecar, not with the Java gateway's problem
            public-route-refuses-token | forged-token   | GET /api/products, a public route, was answered 401 with it, not 200
            internal-route-reachable | ingress-internal | DELETE /internal/reservations/verify-cluster-
            plaintext-accepted       | plaintext        | answered 403: PeerAuthentication is not STRICT
            forbidden-call-allowed   | forbidden-call   | POST auth-service/internal/service-tokens answered 401, not 403 RBAC
            ingress-sampling-stale   | sampling         | the ingress gateway starts a trace for 10% of requests, the namespace's Telemetry for 1%, and every service follows the ingress
            services-sampling-differ | sampling         | the services' OTEL_TRACES_SAMPLER_ARG is 0.1, the namespace's Telemetry samples 1%
            ingress-not-tracing      | sampling         | the ingress gateway's listeners trace nothing: no tracing provider is enabled
            service-spans-missing    | service-spans    | has spans from gateway.microservices,istio-ingressgateway.istio-system,product-service.microservices but none from the services themselves
            service-spans-detached   | service-spans    | has spans from the services (gateway,product-service), none a child of a sidecar's span
            kiali-validations        | kiali            | 1 errors, 1 warnings over 21 objects (KIA0004 x1, KIA1107 x1)
            """)
    void aBrokenPromiseFailsItsOwnRowOnly(String scenario, String check, String reason) {
        failsOnly(StubbedCluster.healthy().with(scenario).verify("--skip", "canary"), check, reason);
    }

    @Test
    void theServicesSpansAreFoundInTheSameTraceUnderTheSidecarsSpans() {
        Verification run = StubbedCluster.healthy().verify("--skip", "canary");

        assertThat(run.detail("service-spans")).contains("the services' spans (gateway,product-service) in one tree with the sidecars'; "
                                                                 + "gateway 'GET /api/products' is a child of a gateway.microservices span");
        assertThat(run.calls()).filteredOn(c -> c.contains("/api/products?limit=1&q=verify-")).as("one traced request for both rows").hasSize(1);
        assertThat(run.calls()).filteredOn(c -> c.contains("port-forward service/tracing")).as("one port-forward for both rows").hasSize(1);
    }

    @Test
    void theIngressSamplesAtTheRateOfTheMeshAndTheServicesReadFromItsRunningListeners() {
        Verification run = StubbedCluster.healthy().verify("--skip", "canary");

        assertThat(run.detail("sampling")).contains("the ingress gateway starts a trace for 1% of requests, as the namespace's "
                                                            + "Telemetry (1%) and the services' OTEL_TRACES_SAMPLER_ARG (0.01)");
        assertThat(run.calls()).contains("istioctl proxy-config listeners -n istio-system deployment/istio-ingressgateway -o json");
    }

    @Test
    void withoutTheTracingComponentTheIngressIsComparedWithTheMeshAlone() {
        Verification run = StubbedCluster.healthy().with("tracing-component-off").verify("--skip", "canary");

        assertThat(run.results()).containsEntry("sampling", "PASS");
        assertThat(run.detail("sampling")).contains("as the namespace's Telemetry (1%); the services export no spans");
    }

    @Test
    void aTraceTheBackendDoesNotHaveFailsBothTraceRows() {
        Verification run = StubbedCluster.healthy().with("trace-missing").verify("--skip", "canary");

        assertThat(run.results()).containsExactlyEntriesOf(every("PASS", "trace", "FAIL", "service-spans", "FAIL", "canary", "SKIP"));
        assertThat(run.detail("trace")).contains("not found at http://127.0.0.1:38081");
        assertThat(run.detail("service-spans")).contains("not found in Jaeger's API at http://127.0.0.1:38081");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}: the canary row fails")
    @CsvSource(delimiter = '|', textBlock = """
            canary-failed          | Canary product-service is Failed: its last release was rolled back
            canary-progressing     | Canary product-service is Progressing (canary weight 25%): a release is under way
            canary-objects-missing | Canary product-service is Succeeded, but missing: virtualservices.networking.istio.io/product-service-root
            """)
    void anUnhealthyReleaseFailsTheCanaryRowOnly(String scenario, String reason) {
        failsOnly(StubbedCluster.healthy().with(scenario).verify(), "canary", reason);
    }

    @Test
    void aLoginRefusedByALeftoverRequestAuthenticationSaysHowToRemoveItAndTheForgeryCheckCannotRun() {
        Verification run = StubbedCluster.healthy().with("login-refused-by-sidecar").verify("--skip", "canary");

        assertThat(run.detail("login")).contains("answered 401: Jwks doesn't have key to match kid",
                                                 "kubectl -n microservices delete requestauthentication gateway-jwt");
        assertThat(run.detail("forged-token")).contains("needs a real token to copy");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void aMissingToolIsAFailedRowNotACrash() {
        Verification run = StubbedCluster.healthy().without("istioctl").verify("--skip", "canary");

        Map<String, String> expected = every("PASS", "tools", "FAIL", "analyze", "FAIL", "sampling", "FAIL");
        expected.put("canary", "SKIP");
        assertThat(run.results()).containsExactlyEntriesOf(expected);
        assertThat(run.detail("tools")).contains("needs istioctl, not found on PATH");
        assertThat(run.detail("analyze")).contains("needs istioctl, not found on PATH");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void withoutKubectlTheRowsThatNeedItFailAndTheIngressRowsStillRunAgainstAGivenIngress() {
        Verification run = StubbedCluster.healthy().without("kubectl").verify("--ingress", "http://127.0.0.1:38080");

        assertThat(run.results()).containsExactlyEntriesOf(every("FAIL", "analyze", "PASS", "login", "PASS",
                                                                 "forged-token", "PASS", "ingress-internal", "PASS"));
        assertThat(run.detail("plaintext")).contains("needs kubectl, not found on PATH");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    /** The check's row fails with the reasons, every other row passes or was skipped, the script exits 1. */
    private static void failsOnly(Verification run, String check, String... reasons) {
        assertThat(run.results().keySet()).as(run.table()).containsExactlyElementsOf(CHECKS);
        run.results().forEach((row, result) -> assertThat(result).as(row + " in\n" + run.table())
                .isIn(row.equals(check) ? List.of("FAIL") : List.of("PASS", "SKIP")));
        assertThat(run.detail(check)).contains(reasons);
        assertThat(run.exitCode()).isEqualTo(1);
    }

    /** @return every check with the given result, then the listed checks with theirs */
    private static Map<String, String> every(String result, String... exceptions) {
        Map<String, String> results = new LinkedHashMap<>();
        CHECKS.forEach(check -> results.put(check, result));
        for (int i = 0; i < exceptions.length; i += 2) {
            results.put(exceptions[i], exceptions[i + 1]);
        }
        return results;
    }
}
