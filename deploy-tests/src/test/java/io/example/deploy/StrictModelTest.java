package io.example.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class StrictModelTest {
    @Test
    void everyKubernetesObjectParsesWithNoUnknownField() {
        List<Manifest> manifests = Kustomize.render("kubernetes");

        assertThat(manifests).hasSizeGreaterThan(20);
        assertThat(StrictModel.problems(manifests)).isEmpty();
    }

    @Test
    void everyIstioObjectParsesWithNoUnknownField() {
        List<Manifest> manifests = Kustomize.render("istio");

        assertThat(manifests).extracting(Manifest::kind)
                .contains("Gateway", "VirtualService", "DestinationRule", "PeerAuthentication", "AuthorizationPolicy",
                          "Telemetry");
        assertThat(StrictModel.problems(manifests)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("optionalComponents")
    void everyOptionalComponentRendersAloneAndParsesWithNoUnknownField(String folder, String component) {
        List<Manifest> manifests = Kustomize.render(folder, List.of(component));

        assertThat(manifests).extracting(Manifest::toString).doesNotHaveDuplicates();
        assertThat(StrictModel.problems(manifests)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes", "istio"})
    void everyComponentIsListedInItsKustomization(String folder) throws IOException {
        try (Stream<Path> folders = Files.list(Kustomize.root().resolve(folder).resolve("components"))) {
            assertThat(Kustomize.listedComponents(folder))
                    .containsExactlyInAnyOrderElementsOf(folders.map(f -> "components/" + f.getFileName()).toList());
        }
    }

    static Stream<Arguments> optionalComponents() {
        return Stream.of("kubernetes", "istio")
                .flatMap(folder -> Kustomize.optionalComponents(folder).stream().map(c -> Arguments.of(folder, c)));
    }

    @Test
    void everyIstioObjectIsOnTheV1Apis() {
        List<Manifest> manifests = Kustomize.render("istio", Kustomize.optionalComponents("istio"));

        assertThat(StrictModel.oldIstioApis(manifests)).isEmpty();
        assertThat(StrictModel.oldIstioApis(Kustomize.parse("""
                apiVersion: telemetry.istio.io/v1alpha1
                kind: Telemetry
                metadata:
                  name: old
                """))).singleElement().asString().contains("Telemetry/old");
    }

    @Test
    void aMisspeltFieldIsCaught() {
        List<Manifest> broken = Kustomize.parse("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: typo
                spec:
                  hosts: [gateway]
                  http:
                    - route:
                        - destination:
                            host: gateway
                      retries:
                        attempts: 2
                        retryOnn: connect-failure
                """);

        assertThat(StrictModel.problems(broken)).singleElement().asString().contains("retryOnn");
    }

    @Test
    void theStrimziResourcesAreCheckedAgainstTheirCrds() {
        List<Manifest> manifests = Kustomize.render("kubernetes");

        assertThat(manifests).filteredOn(StrimziSchema::isStrimzi).extracting(Manifest::kind)
                .contains("Kafka", "KafkaNodePool", "KafkaTopic");
        List<Manifest> misspelt = Mutations.change(manifests, "Kafka", "events",
                                                   k -> ((ObjectNode) k.at("/spec/kafka")).set("listner", k.at("/spec/kafka/listeners")));
        List<Manifest> wrongType = Mutations.change(manifests, "KafkaTopic", "orders", t -> ((ObjectNode) t.at("/spec")).put("partitions", "three"));
        List<Manifest> noStorage = Mutations.change(manifests, "KafkaNodePool", "dual-role", p -> ((ObjectNode) p.at("/spec")).remove("storage"));

        assertThat(StrictModel.problems(misspelt)).singleElement().asString().contains("Kafka/events", "listner");
        assertThat(StrictModel.problems(wrongType)).singleElement().asString().contains("KafkaTopic/orders", "partitions", "integer");
        assertThat(StrictModel.problems(noStorage)).singleElement().asString().contains("KafkaNodePool/dual-role", "storage");
    }

    @Test
    void theFlaggerResourcesAreCheckedAgainstTheirCrds() {
        List<Manifest> manifests = Kustomize.render("istio", List.of("components/canary-product-service"));

        assertThat(manifests).filteredOn(FlaggerSchema::isFlagger).extracting(Manifest::kind)
                .containsExactlyInAnyOrder("Canary", "MetricTemplate", "MetricTemplate");
        List<Manifest> misspelt = Mutations.change(manifests, "Canary", "product-service",
                                                   c -> ((ObjectNode) c.at("/spec/analysis")).set("stepWeigths", c.at("/spec/analysis/stepWeights")));
        List<Manifest> wrongType = Mutations.change(manifests, "Canary", "product-service",
                                                    c -> ((ObjectNode) c.at("/spec/analysis")).put("threshold", "three"));
        List<Manifest> misspeltPolicy = Mutations.change(manifests, "Canary", "product-service",
                                                         c -> ((ObjectNode) c.at("/spec/service/trafficPolicy/outlierDetection"))
                                                                 .put("consecutive5xx", 5));

        assertThat(StrictModel.problems(misspelt)).singleElement().asString().contains("Canary/product-service", "stepWeigths");
        assertThat(StrictModel.problems(wrongType)).singleElement().asString().contains("Canary/product-service", "threshold", "number expected");
        assertThat(StrictModel.problems(misspeltPolicy)).singleElement().asString().contains("consecutive5xx");
    }

    @Test
    void aStrimziApiVersionThePinnedReleaseNoLongerServesIsCaught() {
        List<Manifest> old = Kustomize.parse("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata:
                  name: orders
                spec:
                  partitions: 3
                """);

        assertThat(StrictModel.problems(old)).singleElement().asString().contains("serves no kafka.strimzi.io/v1beta2 KafkaTopic");
    }

    @Test
    void anUnknownKindIsCaught() {
        List<Manifest> broken = Kustomize.parse("""
                apiVersion: networking.istio.io/v1
                kind: VirtualServise
                metadata:
                  name: typo
                """);

        assertThat(StrictModel.problems(broken)).singleElement().asString().contains("no model class");
    }
}
