package io.example.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The install profile: read strictly, pinned to a version whose defaults the checks know, not something
 * {@code kubectl apply -k istio} would send to the API server, and the tracing it promises.
 */
class InstallProfileTest {
    private static final IstioProfile PROFILE = IstioProfile.load();

    @Test
    void isPinnedToAVersionWhoseDefaultsAreRecorded() {
        assertThat(PROFILE.kind()).isEqualTo("IstioOperator");
        assertThat(PROFILE.spec().tag()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(PROFILE.defaults().minor()).isEqualTo("1.31");
        assertThatThrownBy(() -> IstioDefaults.of("1.32.0")).hasMessageContaining("no recorded defaults");
    }

    @Test
    void theDeployGuideInstallsThePinnedVersion() throws IOException {
        String guide = Files.readString(Kustomize.root().resolve("docs/deploy.md"));

        assertThat(guide).contains("ISTIO_VERSION=" + PROFILE.spec().tag())
                .contains("istioctl install -f " + IstioProfile.PATH);
    }

    @Test
    void theDeployGuideStatesTheKubernetesVersionTheDeploymentNeeds() throws IOException {
        String guide = Files.readString(Kustomize.root().resolve("docs/deploy.md"));

        assertThat(KubernetesVersionRule.findings(guide, Kustomize.everything(), PROFILE)).isEmpty();
        assertThat(KubernetesVersionRule.findings(guide.replace("**1.32 or later**", "**1.31 or later**"), Kustomize.everything(), PROFILE))
                .singleElement().asString().contains("Istio 1.31 needs 1.32");
        assertThat(KubernetesVersionRule.findings(guide.replace("**1.32 or later**", "**1.29 or later**"), Kustomize.everything(),
                                                  IstioProfile.bare("1.23.6")))
                .singleElement().asString().contains("preStop sleep action needs 1.30");
    }

    @Test
    void isNotAResourceOfTheIstioKustomization() {
        assertThat(Kustomize.render("istio", Kustomize.optionalComponents("istio")))
                .extracting(Manifest::kind).doesNotContain("IstioOperator");
    }

    @Test
    void setsWhatIstiosDefaultsLeaveOff() {
        assertThat(PROFILE.holdsApplicationUntilProxyStarts()).isTrue();
        assertThat(PROFILE.logsAccess()).isTrue();
        assertThat(PROFILE.outboundTrafficPolicy()).isEqualTo("REGISTRY_ONLY");
    }

    @Test
    void withoutThoseSettingsIstiosDefaultsApply() {
        IstioProfile bare = IstioProfile.bare("1.31.0");

        assertThat(bare.holdsApplicationUntilProxyStarts()).isFalse();
        assertThat(bare.logsAccess()).isFalse();
        assertThat(bare.outboundTrafficPolicy()).isEqualTo("ALLOW_ANY");
        assertThat(bare.defaultTracingProviders()).isEmpty();
    }

    @Test
    void aMisspeltFieldIsCaught() {
        assertThatThrownBy(() -> IstioProfile.parse("""
                apiVersion: install.istio.io/v1alpha1
                kind: IstioOperator
                spec:
                  tag: 1.31.0
                  meshConfig:
                    defaultConfig:
                      holdApplicationUntilProxyStart: true
                """)).hasMessageContaining("holdApplicationUntilProxyStart");
    }

    @Test
    void telemetryNamesATracingProviderTheProfileDefines() {
        List<Manifest> istio = Kustomize.render("istio", Kustomize.optionalComponents("istio"));

        assertThat(TracingRule.findings(istio, PROFILE)).isEmpty();
    }

    @Test
    void aSamplingRateWithoutAnyProviderIsCaught() {
        // the form istio/tracing.yaml had: a rate, no provider, and an installation with no default provider
        List<Manifest> rateOnly = Kustomize.parse("""
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata:
                  name: default
                spec:
                  tracing:
                    - randomSamplingPercentage: 10.0
                """);
        IstioProfile noDefault = IstioProfile.bare("1.31.0");

        assertThat(TracingRule.findings(rateOnly, noDefault)).singleElement().asString().contains("no span is sent");
        assertThat(TracingRule.findings(rateOnly, PROFILE)).as("the profile's default provider applies").isEmpty();
    }

    @Test
    void aProviderTheProfileDoesNotDefineIsCaught() {
        List<Manifest> broken = Mutations.change(Kustomize.render("istio"), "Telemetry", "default",
                                                 t -> ((ObjectNode) t.at("/spec/tracing/0/providers/0")).put("name", "zipkin"));

        assertThat(TracingRule.findings(broken, PROFILE)).singleElement().asString().contains("zipkin is not a tracing");
    }

    @Test
    void aCollectorTheAddonDoesNotServeIsCaught() {
        IstioProfile wrongPort = IstioProfile.parse(profileText().replace("port: 4317", "port: 14317"));

        assertThat(TracingRule.findings(Kustomize.render("istio"), wrongPort)).singleElement().asString().contains("14317");
    }

    private static String profileText() {
        try {
            return Files.readString(Kustomize.root().resolve(IstioProfile.PATH));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
