package io.example.deploy;

import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Edge and mesh retries never replay a request that may have run, under the pinned version's defaults, and
 * every route states its policy.
 */
class RetryRuleTest {
    private static final IstioProfile PROFILE = IstioProfile.load();
    /** An installation of Istio 1.23 with its defaults: its default retry policy still replayed 503s. */
    private static final IstioProfile BEFORE_1_24 = IstioProfile.bare("1.23.6");
    private static final List<Manifest> real = Kustomize.everything();

    @Test
    void noRealRouteReplaysAWrite() {
        assertThat(RetryRule.replays(real, PROFILE)).isEmpty();
    }

    @Test
    void everyRealRouteStatesItsRetries() {
        assertThat(RetryRule.unstated(real)).isEmpty();
    }

    @Test
    void anEdgeRouteWithoutRetriesIsCaught() {
        // shop-ingress as it was: no retries, so the installed version's default applied
        List<Manifest> broken = broken("VirtualService", "shop-ingress", vs -> ((ObjectNode) vs.at("/spec/http/0")).remove("retries"));

        assertThat(RetryRule.unstated(broken)).singleElement().asString().contains("VirtualService/shop-ingress http[0]");
    }

    @Test
    void theDefaultOfAVersionBefore124ReplaysA503() {
        List<Manifest> broken = broken("VirtualService", "shop-ingress", vs -> ((ObjectNode) vs.at("/spec/http/0")).remove("retries"));

        assertThat(RetryRule.replays(broken, PROFILE)).as("1.31's default retries no status").isEmpty();
        assertThat(RetryRule.replays(broken, BEFORE_1_24))
                .contains("VirtualService/shop-ingress http[0] accepts writes and the default policy replays on status 503");
    }

    @Test
    void retryingOn5xxWhereWritesGoIsCaught() {
        List<Manifest> broken = broken("VirtualService", "order-service",
                                       vs -> ((ObjectNode) vs.at("/spec/http/0/retries")).put("retryOn", "5xx,connect-failure"));

        assertThat(RetryRule.replays(broken, PROFILE))
                .containsExactly("VirtualService/order-service http[0] accepts writes and retryOn replays on 5xx");
    }

    @Test
    void retryingOnAStatusOrResetWhereWritesGoIsCaught() {
        List<Manifest> broken = broken("VirtualService", "auth-service",
                                       vs -> ((ObjectNode) vs.at("/spec/http/0/retries")).put("retryOn", "reset,503"));

        assertThat(RetryRule.replays(broken, PROFILE))
                .containsExactly("VirtualService/auth-service http[0] accepts writes and retryOn replays on reset, status 503");
    }

    @Test
    void retriesWithoutConditionsTakeTheVersionsDefaultConditions() {
        List<Manifest> broken = broken("VirtualService", "auth-service",
                                       vs -> ((ObjectNode) vs.at("/spec/http/0/retries")).remove("retryOn"));

        assertThat(RetryRule.replays(broken, PROFILE)).isEmpty();
        assertThat(RetryRule.replays(broken, BEFORE_1_24)).anySatisfy(f -> assertThat(f).contains("auth-service http[0]").contains("status 503"));
    }

    @Test
    void aReadOnlyRouteMayRetryOn5xx() {
        List<Manifest> readOnly = broken("VirtualService", "order-service", vs -> {
            ObjectNode route = (ObjectNode) vs.at("/spec/http/0");
            route.putArray("match").addObject().putObject("method").put("exact", "GET");
            ((ObjectNode) route.at("/retries")).put("retryOn", "5xx,reset");
        });

        assertThat(RetryRule.replays(readOnly, PROFILE)).isEmpty();
    }

    private static List<Manifest> broken(String kind, String name, Consumer<ObjectNode> change) {
        return Mutations.change(real, kind, name, change);
    }
}
