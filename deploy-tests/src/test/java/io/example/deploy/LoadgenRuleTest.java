package io.example.deploy;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loadgen component (on in the rendered manifests) calls the ingress within the gateway's limits as one replica,
 * and each way of breaking that is caught.
 */
class LoadgenRuleTest {
    private static final List<Manifest> real = Kustomize.everything();

    @Test
    void theComponentKeepsItsPromises() {
        assertThat(real).extracting(Manifest::toString).contains("Deployment/loadgen");
        assertThat(LoadgenRule.findings(real)).isEmpty();
    }

    @Test
    void loginsAtTheGatewaysLimitAreCaught() {
        assertThat(LoadgenRule.findings(withArg("--login-rate", "10/min"))).singleElement().asString()
                .contains("--login-rate 10.0/min is not below the gateway's LOGIN_RATE_LIMIT_PER_MINUTE 10");
    }

    @Test
    void moreRequestsPerUserThanTheGatewayAllowsAreCaught() {
        // ten users share --rate: 500/s is 50/s each
        assertThat(LoadgenRule.findings(withArg("--rate", "500/s"))).singleElement().asString()
                .contains("--rate / --users is 50.0/s per user, not below the gateway's RATE_LIMIT_PER_SECOND 50");
    }

    @Test
    void anAnonymousRateOverTheDefaultsLimitIsCaught() {
        // the component leaves --anonymous-rate at loadgen's default (20/s); this is what overriding it wrongly looks like
        assertThat(LoadgenRule.findings(withArg("--anonymous-rate", "60/s"))).singleElement().asString()
                .contains("--anonymous-rate 60.0/s is not below the gateway's RATE_LIMIT_PER_SECOND 50");
    }

    @Test
    void aDirectCallToTheJavaGatewayIsCaught() {
        assertThat(LoadgenRule.findings(withArg("--base", "http://gateway.microservices.svc.cluster.local"))).singleElement().asString()
                .contains("is not the ingress gateway's Service istio-ingressgateway.istio-system")
                .contains("loadgen presents no mTLS identity and gateway port 8080 is STRICT");
    }

    @Test
    void aPortTheIngressDoesNotServeIsCaught() {
        assertThat(LoadgenRule.findings(withArg("--base", "https://istio-ingressgateway.istio-system.svc.cluster.local")))
                .singleElement().asString().contains("no Gateway on the ingress serves https on port 443");
    }

    @Test
    void argsLoadgenRefusesAreCaught() {
        assertThat(LoadgenRule.findings(withArg("--rate", "fast"))).singleElement().asString().contains("loadgen refuses its args");
    }

    @Test
    void moreThanOneReplicaIsCaught() {
        List<Manifest> broken = Mutations.change(real, "Deployment", "loadgen", d -> ((ObjectNode) d.at("/spec")).put("replicas", 2));

        assertThat(LoadgenRule.findings(broken)).singleElement().asString().contains("runs 2 replicas");
    }

    // the loadgen Deployment with one option set: replaced where the args name it, else added
    private static List<Manifest> withArg(String option, String value) {
        return Mutations.change(real, "Deployment", "loadgen", d -> {
            ArrayNode args = (ArrayNode) d.at("/spec/template/spec/containers/0/args");
            for (int i = 0; i < args.size(); i += 2) {
                if (args.get(i).asText().equals(option)) {
                    args.set(i + 1, value);
                    return;
                }
            }
            args.add(option).add(value);
        });
    }
}
