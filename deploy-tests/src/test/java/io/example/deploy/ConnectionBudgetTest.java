package io.example.deploy;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scaling every service to its HPA maximum during a rollout, with the canary on, never runs PostgreSQL out of
 * connections.
 */
class ConnectionBudgetTest {
    private static final List<Manifest> real = Kustomize.everything();

    @Test
    void thePoolsFitTheDatabase() {
        assertThat(ConnectionBudget.findings(real)).isEmpty();
        assertThat(ConnectionBudget.budget(real)).isEqualTo(120 - 3 - ConnectionBudget.OPERATOR_SESSIONS);
    }

    @Test
    void theOldPoolsAndDefaultsAreCaught() {
        // as it was: 10 connections per pod (the code's default), PostgreSQL's default max_connections of 100
        List<Manifest> old = real;
        for (String service : List.of("auth-service", "product-service", "order-service")) {
            old = Mutations.change(old, "ConfigMap", service, cm -> ((ObjectNode) cm.at("/data")).put("DB_POOL_DASH_SIZE", "10"));
        }
        old = Mutations.change(old, "StatefulSet", "postgres", ss -> ((ObjectNode) ss.at("/spec/template/spec/containers/0")).remove("args"));

        assertThat(ConnectionBudget.findings(old)).singleElement().asString()
                .contains("the pools open 280 connections at most, PostgreSQL allows 92");
    }

    @Test
    void aHigherHpaMaximumIsCaught() {
        List<Manifest> broken = Mutations.change(real, "HorizontalPodAutoscaler", "order-service",
                                                 hpa -> ((ObjectNode) hpa.at("/spec")).put("maxReplicas", 12));

        assertThat(ConnectionBudget.findings(broken)).singleElement().asString().contains("the pools open 136");
    }

    @Test
    void aPoolSizeLeftToTheCodeIsCaught() {
        List<Manifest> broken = Mutations.change(real, "ConfigMap", "product-service",
                                                 cm -> ((ObjectNode) cm.at("/data")).remove("DB_POOL_DASH_SIZE"));

        assertThat(ConnectionBudget.findings(broken)).anySatisfy(f -> assertThat(f).contains("Deployment/product-service")
                .contains("states no pool size"));
    }

    @Test
    void aPoolSizeUnderItsOtherEnvironmentNameCounts() {
        // Helidon 4.4 and later read db.pool-size from DB_POOL_SIZE as well: 50 connections a pod are too many
        List<Manifest> raised = Mutations.change(real, "ConfigMap", "auth-service", cm -> {
            ObjectNode data = (ObjectNode) cm.at("/data");
            data.remove("DB_POOL_DASH_SIZE");
            data.put("DB_POOL_SIZE", "50");
        });

        assertThat(ConnectionBudget.findings(raised)).singleElement().asString().contains("the pools open");
    }

    @Test
    void aPoolSizeUnderANameHelidonDoesNotMapIsCaught() {
        // DB_POOLSIZE maps to db.poolsize, which the services do not read
        List<Manifest> broken = Mutations.change(real, "ConfigMap", "auth-service", cm -> {
            ObjectNode data = (ObjectNode) cm.at("/data");
            data.set("DB_POOLSIZE", data.remove("DB_POOL_DASH_SIZE"));
        });

        assertThat(ConnectionBudget.findings(broken)).anySatisfy(f -> assertThat(f).contains("Deployment/auth-service"));
    }
}
