package io.example.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Flagger release of product-service (kubernetes/ and istio/ components/canary-product-service) fits the mesh, on
 * the rendered manifests with every component on and Flagger's objects beside them, and each broken form is caught.
 */
class CanaryRuleTest {
    private static final String NS = ".microservices.svc.cluster.local";
    private static final String APEX = "product-service" + NS;
    private static final List<Manifest> ours = Kustomize.rendered();
    private static final List<Manifest> real = Kustomize.everything();

    @Test
    void flaggerMakesThePrimaryItsServicesAndItsRoutes() {
        List<Manifest> made = FlaggerOperands.of(ours);

        assertThat(made).extracting(Manifest::toString).containsExactlyInAnyOrder(
                "Deployment/product-service-primary", "HorizontalPodAutoscaler/product-service-primary", "Service/product-service",
                "Service/product-service-primary", "Service/product-service-canary", "DestinationRule/product-service-canary",
                "DestinationRule/product-service-primary", "VirtualService/product-service");
        Manifest primary = made.getFirst();
        assertThat(MeshChecks.map(primary.podLabels())).containsEntry("app", "product-service-primary")
                .containsEntry("service.istio.io/canonical-name", "product-service").containsEntry("version", "v1");
        assertThat(primary.service()).isEqualTo("product-service");
        assertThat(made).filteredOn(m -> m.is("Service") && m.name().equals("product-service"))
                .singleElement().satisfies(apex -> assertThat(MeshChecks.map(apex.spec().path("selector")))
                        .containsExactly(Map.entry("app", "product-service-primary")));
        assertThat(made).filteredOn(m -> m.is("VirtualService")).singleElement().satisfies(vs -> {
            assertThat(vs.spec().has("hosts")).as("a delegate has no hosts").isFalse();
            assertThat(vs.spec().at("/http/0/route/0/destination/host").asText()).isEqualTo("product-service-primary");
            assertThat(vs.spec().at("/http/0/retries/retryOn").asText()).isEqualTo("connect-failure,refused-stream");
        });
    }

    @Test
    void theAnalysisReadsIstiosOwnMetricsForTheCanary() {
        assertThat(CanaryRule.analysis(real)).isEmpty();
        assertThat(IstioMetrics.selectors(template("istio-latency-p99"))).singleElement().satisfies(s -> {
            assertThat(s.metric()).isEqualTo("istio_request_duration_milliseconds_bucket");
            assertThat(s.has("destination_workload", "<target>")).isTrue();
        });
    }

    @Test
    void aMetricOrLabelIstioDoesNotExportIsCaught() {
        assertThat(CanaryRule.analysis(query("istio-success-rate", "istio_requests_total", "istio_request_total")))
                .anySatisfy(f -> assertThat(f).contains("metric success-rate", "metric istio_request_total is not one Istio exports"));
        assertThat(CanaryRule.analysis(query("istio-latency-p99", "destination_workload_namespace", "destination_namespace")))
                .anySatisfy(f -> assertThat(f).contains("label destination_namespace"));
        assertThat(CanaryRule.analysis(query("istio-latency-p99", "by (le)", "by (pod)")))
                .containsExactly("Canary/product-service metric latency-p99: grouping label pod is not one Istio's metrics carry");
    }

    @Test
    void aQueryThatIsNotTheCanarysOwnIsCaught() {
        // without the workload: the primary's requests too, which would hide a bad canary
        assertThat(CanaryRule.analysis(query("istio-latency-p99", ", destination_workload=\"{{ target }}\"", "")))
                .singleElement().asString().contains("latency-p99", "is not the canary's own");
    }

    @Test
    void aMetricWithoutThresholdAndAnAnalysisWithoutLoadAreCaught() {
        List<Manifest> broken = Mutations.change(real, "Canary", "product-service", c -> {
            ((ObjectNode) c.at("/spec/analysis/metrics/0")).remove("thresholdRange");
            ((com.fasterxml.jackson.databind.node.ArrayNode) c.at("/spec/analysis/webhooks")).remove(1);
        });

        assertThat(CanaryRule.analysis(broken)).containsExactly(
                "Canary/product-service metric success-rate: no thresholdRange, so nothing it measures can fail the step",
                "Canary/product-service: no rollout webhook sends load, so an analysis without users has nothing to measure");
    }

    @Test
    void aPreRolloutCheckTheLoadTesterWouldOnlyQueueIsCaught() {
        List<Manifest> queued = Mutations.change(real, "Canary", "product-service",
                                                 c -> ((ObjectNode) c.at("/spec/analysis/webhooks/0/metadata")).put("type", "cmd"));
        List<Manifest> untyped = Mutations.change(real, "Canary", "product-service",
                                                  c -> ((ObjectNode) c.at("/spec/analysis/webhooks/0/metadata")).remove("type"));

        assertThat(CanaryRule.analysis(real)).isEmpty();
        assertThat(CanaryRule.analysis(queued)).containsExactly(
                "Canary/product-service webhook tester-reaches-canary: a pre-rollout check run as a 'cmd' task, which the load "
                        + "tester queues and answers 202 at once: it passes whatever its command does");
        assertThat(CanaryRule.analysis(untyped)).singleElement().asString().contains("as a 'cmd' task");
    }

    @Test
    void nothingFlaggerMakesIsAlsoOurs() {
        assertThat(CanaryRule.ownedTwice(ours)).isEmpty();
    }

    @Test
    void theBasesServiceAndMeshObjectsBesideFlaggersAreCaught() {
        // what the base defines and the components remove: the Service, the DestinationRule and the VirtualService
        List<Manifest> withBase = new ArrayList<>(ours);
        withBase.addAll(Kustomize.render("kubernetes").stream().filter(m -> m.is("Service") && m.name().equals("product-service")).toList());
        withBase.addAll(Kustomize.render("istio").stream().filter(m -> m.name().equals("product-service")
                && (m.is("DestinationRule") || m.is("VirtualService"))).toList());

        assertThat(CanaryRule.ownedTwice(withBase)).containsExactlyInAnyOrder(
                "Service/product-service is in our manifests and Flagger makes and owns it too",
                "VirtualService/product-service is in our manifests and Flagger makes and owns it too",
                "DestinationRule/product-service: a policy for product-service" + NS + ", whose traffic Flagger's DestinationRules govern",
                "VirtualService/product-service: routes product-service and never delegates to Flagger's VirtualService product-service:"
                        + " the weights would route nothing");
    }

    @Test
    void aRootThatRoutesAroundFlaggersWeightsIsCaught() {
        // the tester's route alone: neither everyone's route nor the fault drill's delegates any more
        List<Manifest> broken = Mutations.change(ours, "VirtualService", "product-service-root", vs -> {
            ((com.fasterxml.jackson.databind.node.ArrayNode) vs.at("/spec/http")).remove(2);
            ((com.fasterxml.jackson.databind.node.ArrayNode) vs.at("/spec/http")).remove(0);
        });

        assertThat(CanaryRule.ownedTwice(broken)).singleElement().asString().contains("never delegates");
    }

    @Test
    void primaryAndCanaryAdmitAndReachExactlyWhomTheStableVersionDid() {
        assertThat(CanaryRule.callers(real, before())).isEmpty();
    }

    @Test
    void aPolicyStillSelectingTheAppLabelShutsThePrimaryOut() {
        List<Manifest> broken = Mutations.change(real, "AuthorizationPolicy", "product-service",
                                                 ap -> ((ObjectNode) ap.at("/spec/selector")).putObject("matchLabels").put("app", "product-service"));

        assertThat(CanaryRule.callers(broken, before()))
                .anySatisfy(f -> assertThat(f).startsWith("gateway -> product-service-primary :8080 GET /api/products: ")
                        .endsWith(", unlike product-service before the release"))
                .anySatisfy(f -> assertThat(f).startsWith("order-service -> product-service-primary :8080 POST /internal/reservations: "))
                .noneMatch(f -> f.startsWith("gateway -> product-service :"));
    }

    @Test
    void aTesterReachesTheCanaryAndEveryoneElseFlaggersWeights() {
        MeshRoutes routes = new MeshRoutes(real);

        assertThat(CanaryRule.testerRoute(real)).isEmpty();
        assertThat(routes.take(APEX, CanaryRule.TESTER)).hasValueSatisfying(t -> {
            assertThat(t.hosts()).containsExactly("product-service-canary" + NS);
            assertThat(t.fault()).isEmpty();
        });
        assertThat(routes.take(APEX, Map.of("x-canary", "sometimes"))).hasValueSatisfying(t -> {
            assertThat(t.hosts()).containsExactly("product-service-primary");
            assertThat(t.path()).contains("product-service-root everyone -> VirtualService/product-service");
        });
    }

    @Test
    void aTesterRouteForEveryoneOrToThePrimaryIsCaught() {
        List<Manifest> forEveryone = root(vs -> ((ObjectNode) vs.at("/spec/http/1")).remove("match"));
        List<Manifest> toThePrimary = root(vs -> ((ObjectNode) vs.at("/spec/http/1/route/0/destination"))
                .put("host", "product-service-primary" + NS));

        assertThat(CanaryRule.testerRoute(forEveryone)).singleElement().asString()
                .contains("a request without the header", "tester to [product-service-canary" + NS + "]");
        assertThat(CanaryRule.testerRoute(toThePrimary)).singleElement().asString()
                .contains("a tester's request", "to [product-service-primary" + NS + "], not the canary alone");
    }

    @Test
    void faultsReachOnlyTheDrillsRequests() {
        MeshRoutes routes = new MeshRoutes(real);

        assertThat(routes.take(APEX, Map.of("x-fault-drill", "on"))).hasValueSatisfying(t -> {
            assertThat(t.fault()).isPresent();
            assertThat(t.hosts()).as("through Flagger's weights").containsExactly("product-service-primary");
        });
        assertThat(routes.take(APEX, Map.of())).hasValueSatisfying(t -> assertThat(t.fault()).isEmpty());
        assertThat(CanaryRule.testerRoute(root(vs -> ((ObjectNode) vs.at("/spec/http/0")).remove("match"))))
                .hasSize(2).allSatisfy(f -> assertThat(f).contains("fault-drill", "with faults"));
    }

    private static List<Manifest> before() {
        List<Manifest> before = new ArrayList<>(Kustomize.render("kubernetes"));
        before.addAll(Kustomize.render("istio"));
        before.addAll(StrimziOperands.of(before));
        return before;
    }

    private static List<Manifest> root(Consumer<ObjectNode> change) {
        return Mutations.change(real, "VirtualService", "product-service-root", change);
    }

    private static String template(String name) {
        return real.stream().filter(m -> m.is("MetricTemplate") && m.name().equals(name)).findFirst().orElseThrow()
                .spec().path("query").asText();
    }

    private static List<Manifest> query(String template, String from, String to) {
        assertThat(template(template)).contains(from);
        return Mutations.change(real, "MetricTemplate", template,
                                t -> ((ObjectNode) t.at("/spec")).put("query", template(template).replace(from, to)));
    }
}
