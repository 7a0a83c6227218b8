package io.example.deploy;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a first deploy PostgreSQL starts beside the services: each waits for it, and its startupProbe lets it.
 */
class StartupBudgetTest {
    private static final List<Manifest> real = Kustomize.everything();

    @Test
    void everyStartupProbeOutlastsTheDatabaseWait() {
        assertThat(StartupBudget.findings(real)).isEmpty();
    }

    @Test
    void theOldSixtySecondProbeIsCaught() {
        List<Manifest> old = Mutations.change(real, "Deployment", "order-service",
                                              d -> ((ObjectNode) d.at("/spec/template/spec/containers/0/startupProbe"))
                                                      .put("failureThreshold", 30));

        assertThat(StartupBudget.findings(old)).singleElement().asString()
                .contains("Deployment/order-service").contains("gives up after PT1M, before db.start-wait (PT1M)");
    }

    @Test
    void aLongerWaitStatedInTheConfigMapIsCaught() {
        List<Manifest> broken = Mutations.change(real, "ConfigMap", "auth-service",
                                                 cm -> ((ObjectNode) cm.at("/data")).put("DB_START_DASH_WAIT", "PT5M"));

        assertThat(StartupBudget.findings(broken)).singleElement().asString()
                .contains("Deployment/auth-service").contains("(PT5M)");
    }

    @Test
    void aDatabaseClientWithoutAStartupProbeIsCaught() {
        List<Manifest> broken = Mutations.change(real, "Deployment", "product-service",
                                                 d -> ((ObjectNode) d.at("/spec/template/spec/containers/0")).remove("startupProbe"));

        assertThat(StartupBudget.findings(broken)).singleElement().asString()
                .contains("Deployment/product-service").contains("has no startupProbe");
    }
}
