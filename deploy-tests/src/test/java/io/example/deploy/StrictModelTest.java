package io.example.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
                          "RequestAuthentication", "Telemetry");
        assertThat(StrictModel.problems(manifests)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("istioComponents")
    void everyIstioComponentRendersAloneAndParsesWithNoUnknownField(String component) {
        List<Manifest> manifests = Kustomize.render("istio", List.of(component));

        assertThat(manifests).extracting(Manifest::toString).doesNotHaveDuplicates();
        assertThat(StrictModel.problems(manifests)).isEmpty();
    }

    @Test
    void everyIstioComponentIsListedInTheKustomization() throws IOException {
        try (Stream<Path> folders = Files.list(Kustomize.root().resolve("istio/components"))) {
            assertThat(istioComponents())
                    .containsExactlyInAnyOrderElementsOf(folders.map(f -> "components/" + f.getFileName()).toList());
        }
    }

    static List<String> istioComponents() {
        return Kustomize.optionalComponents("istio");
    }

    @Test
    void everyIstioObjectIsOnTheV1Apis() {
        List<Manifest> manifests = Kustomize.render("istio", istioComponents());

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
