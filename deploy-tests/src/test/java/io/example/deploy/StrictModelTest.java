package io.example.deploy;

import java.util.List;

import org.junit.jupiter.api.Test;

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
