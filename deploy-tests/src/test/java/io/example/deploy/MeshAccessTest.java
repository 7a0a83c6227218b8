package io.example.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import io.example.deploy.MeshAccess.Caller;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who can reach whom under STRICT mTLS, deny-by-default and the per-service ALLOW policies: the matrix the
 * mesh promises, on the real manifests (every optional component on), and broken policies it catches. And the
 * JWKS fetch that finding 1 was about: possible for the gateway's sidecar (the profile's "envoy" mode),
 * impossible for istiod (Istio's default).
 */
class MeshAccessTest {
    private static final int HTTP = 8080;
    private static final int POSTGRES = 5432;
    private static final int MERGED_METRICS = 15020;
    private static final int KAFKA = 9092;
    private static final String BROKERS = "events-dual-role";
    private static final List<Manifest> real = Kustomize.everything();

    /** A call of the matrix: who, to which workload, port, method and path (method and path unused on TCP). */
    record Call(String from, String to, int port, String method, String path, boolean allowed) {
        @Override
        public String toString() {
            return from + " -> " + to + ":" + port + (method == null ? "" : " " + method + " " + path);
        }
    }

    private static final List<Call> MATRIX = List.of(
            // the way in: the ingress gateway reaches the Java gateway, under /api only, and nothing else
            allow("ingress", "gateway", HTTP, "GET", "/api/products"),
            allow("ingress", "gateway", HTTP, "POST", "/api/orders"),
            refuse("ingress", "gateway", HTTP, "GET", "/internal/reservations"),
            refuse("ingress", "auth-service", HTTP, "POST", "/api/auth/login"),
            refuse("ingress", "product-service", HTTP, "POST", "/internal/reservations"),
            refuse("ingress", "order-service", HTTP, "GET", "/api/orders"),
            refuse("ingress", "postgres", POSTGRES, null, null),
            // the gateway reaches the public APIs it routes, never the inventory or service tokens
            allow("gateway", "auth-service", HTTP, "POST", "/api/auth/login"),
            allow("gateway", "auth-service", HTTP, "GET", "/.well-known/jwks.json"),
            allow("gateway", "auth-service", HTTP, "GET", "/internal/revocations"),
            refuse("gateway", "auth-service", HTTP, "POST", "/internal/service-tokens"),
            allow("gateway", "product-service", HTTP, "GET", "/api/products/p-1"),
            allow("gateway", "product-service", HTTP, "POST", "/api/products"),
            refuse("gateway", "product-service", HTTP, "POST", "/internal/reservations"),
            allow("gateway", "order-service", HTTP, "POST", "/api/orders"),
            allow("gateway", "order-service", HTTP, "POST", "/api/orders/o-1/cancel"),
            refuse("gateway", "postgres", POSTGRES, null, null),
            // order-service: the inventory and its service tokens
            allow("order-service", "product-service", HTTP, "POST", "/internal/reservations"),
            allow("order-service", "product-service", HTTP, "POST", "/internal/reservations/o-1/confirm"),
            allow("order-service", "product-service", HTTP, "DELETE", "/internal/reservations/o-1"),
            allow("order-service", "auth-service", HTTP, "POST", "/internal/service-tokens"),
            allow("order-service", "auth-service", HTTP, "GET", "/.well-known/jwks.json"),
            refuse("order-service", "gateway", HTTP, "GET", "/api/products"),
            refuse("order-service", "auth-service", HTTP, "POST", "/api/auth/login"),
            // product-service: keys and revocations only
            allow("product-service", "auth-service", HTTP, "GET", "/.well-known/jwks.json"),
            refuse("product-service", "auth-service", HTTP, "POST", "/internal/service-tokens"),
            refuse("product-service", "order-service", HTTP, "GET", "/api/orders"),
            // auth-service calls nobody but its database
            refuse("auth-service", "product-service", HTTP, "GET", "/api/products"),
            // each service its database; nobody else
            allow("auth-service", "postgres", POSTGRES, null, null),
            allow("product-service", "postgres", POSTGRES, null, null),
            allow("order-service", "postgres", POSTGRES, null, null),
            refuse("product-service-primary", "gateway", HTTP, "GET", "/api/products"),
            // Flagger's primary (app: product-service-primary) admits exactly the callers the canary (the Deployment
            // product-service) does: the catalogue from the gateway, the inventory from order-service, mid-rollout too
            allow("gateway", "product-service-primary", HTTP, "GET", "/api/products/p-1"),
            allow("gateway", "product-service-primary", HTTP, "POST", "/api/products"),
            refuse("gateway", "product-service-primary", HTTP, "POST", "/internal/reservations"),
            allow("order-service", "product-service-primary", HTTP, "POST", "/internal/reservations"),
            allow("order-service", "product-service-primary", HTTP, "DELETE", "/internal/reservations/o-1"),
            refuse("ingress", "product-service-primary", HTTP, "POST", "/internal/reservations"),
            refuse("auth-service", "product-service-primary", HTTP, "GET", "/api/products"),
            refuse("outside", "product-service-primary", HTTP, "POST", "/internal/reservations"),
            allow("product-service-primary", "auth-service", HTTP, "GET", "/.well-known/jwks.json"),
            allow("product-service-primary", "postgres", POSTGRES, null, null),
            // no sidecar, no identity: refused at the TLS handshake (STRICT), whatever the policy
            refuse("istiod", "auth-service", HTTP, "GET", "/.well-known/jwks.json"),
            refuse("outside", "gateway", HTTP, "GET", "/api/products"),
            refuse("outside", "product-service", HTTP, "POST", "/internal/reservations"),
            refuse("outside", "postgres", POSTGRES, null, null),
            refuse("prometheus", "order-service", HTTP, "GET", "/metrics"),
            // loadgen opts out of the mesh: it gets in through the ingress like a user, never around it
            refuse("loadgen", "gateway", HTTP, "GET", "/api/products"),
            refuse("loadgen", "auth-service", HTTP, "POST", "/api/auth/login"),
            // ... except istio-agent's port, where Prometheus scrapes the merged metrics in plain text
            allow("prometheus", "gateway", MERGED_METRICS, "GET", "/stats/prometheus"),
            allow("prometheus", "auth-service", MERGED_METRICS, "GET", "/stats/prometheus"),
            allow("prometheus", "product-service", MERGED_METRICS, "GET", "/stats/prometheus"),
            allow("prometheus", "order-service", MERGED_METRICS, "GET", "/stats/prometheus"),
            // Kafka's client port: the producers (order-service, product-service) and consumers (product-service,
            // gateway), nobody else; the brokers call nobody of the shop
            allow("order-service", BROKERS, KAFKA, null, null),
            allow("product-service", BROKERS, KAFKA, null, null),
            allow("product-service-primary", BROKERS, KAFKA, null, null),
            allow("gateway", BROKERS, KAFKA, null, null),
            refuse("auth-service", BROKERS, KAFKA, null, null),
            refuse("ingress", BROKERS, KAFKA, null, null),
            refuse("loadgen", BROKERS, KAFKA, null, null),
            refuse("outside", BROKERS, KAFKA, null, null),
            refuse("events-entity-operator", BROKERS, KAFKA, null, null),
            refuse(BROKERS, "postgres", POSTGRES, null, null),
            refuse(BROKERS, "product-service", HTTP, "GET", "/api/products"),
            // Strimzi's own ports, with its own mutual TLS, outside the sidecars: the brokers among themselves, the
            // operator (no sidecar) and the entity operator (out of the mesh)
            allow(BROKERS, BROKERS, StrimziOperands.CONTROL_PLANE, null, null),
            allow(BROKERS, BROKERS, StrimziOperands.REPLICATION, null, null),
            allow("strimzi-operator", BROKERS, StrimziOperands.CONTROL_PLANE, null, null),
            allow("strimzi-operator", BROKERS, StrimziOperands.REPLICATION, null, null),
            allow("strimzi-operator", BROKERS, StrimziOperands.KAFKA_AGENT, null, null),
            allow("events-entity-operator", BROKERS, StrimziOperands.REPLICATION, null, null));

    @Test
    void theRealPoliciesGiveTheMatrix() {
        assertThat(violations(real)).isEmpty();
    }

    @Test
    void everyWorkloadButTheLoadGeneratorAndTheEntityOperatorHasASidecar() {
        MeshAccess access = new MeshAccess(real);

        assertThat(real.stream().filter(Manifest::isWorkload).filter(w -> !access.hasSidecar(w)))
                .extracting(Manifest::toString).containsExactlyInAnyOrder("Deployment/loadgen", "Deployment/events-entity-operator");
    }

    @Test
    void onlyTheEventClientsReachKafkasClientPort() {
        assertThat(kafkaClientsBesidesTheEventClients(real)).isEmpty();
        assertThat(kafkaClientsBesidesTheEventClients(broken("AuthorizationPolicy", "kafka",
                                                             ap -> ((ArrayNode) ap.at("/spec/rules/0/from/0/source/principals"))
                                                                     .add("cluster.local/ns/microservices/sa/auth-service"))))
                .containsExactly("auth-service reaches events-dual-role:9092: allowed by AuthorizationPolicy/kafka");
    }

    @Test
    void aKafkaPolicyOpenToAnyPrincipalIsCaught() {
        List<Manifest> broken = broken("AuthorizationPolicy", "kafka", ap -> ((ObjectNode) ap.at("/spec/rules/0")).remove("from"));

        assertThat(violations(broken)).containsExactly("auth-service -> events-dual-role:9092: expected refused, allowed by AuthorizationPolicy/kafka",
                                                       "ingress -> events-dual-role:9092: expected refused, allowed by AuthorizationPolicy/kafka");
    }

    @Test
    void aKafkaPolicyWithoutAConsumerIsCaught() {
        List<Manifest> broken = broken("AuthorizationPolicy", "kafka",
                                       ap -> ((ArrayNode) ap.at("/spec/rules/0/from/0/source/principals")).remove(2));

        assertThat(violations(broken)).singleElement().asString().startsWith("gateway -> events-dual-role:9092: expected allowed");
    }

    @Test
    void brokersWhoseSidecarTakesStrimzisPortsLockTheOperatorOut() {
        List<Manifest> broken = broken(StrimziOperands.KIND, BROKERS,
                                       set -> ((ObjectNode) set.at("/spec/template/metadata/annotations")).remove(MeshAccess.EXCLUDE_INBOUND));

        assertThat(violations(broken)).contains("strimzi-operator -> events-dual-role:9091: expected allowed, strimzi-operator presents "
                                                        + "no mTLS identity and events-dual-role port 9091 is STRICT: the connection is refused");
    }

    @Test
    void anInternalRuleOpenToAnyCallerIsCaught() {
        List<Manifest> broken = broken("AuthorizationPolicy", "product-service", ap -> ((ObjectNode) ap.at("/spec/rules/1")).remove("from"));

        assertThat(violations(broken)).contains("gateway -> product-service:8080 POST /internal/reservations: expected refused, "
                                                        + "allowed by AuthorizationPolicy/product-service");
    }

    @Test
    void aWrongIngressPrincipalIsCaught() {
        List<Manifest> broken = broken("AuthorizationPolicy", "gateway",
                                       ap -> ((ArrayNode) ap.at("/spec/rules/0/from/0/source/principals"))
                                               .set(0, "cluster.local/ns/istio-system/sa/istio-ingressgateway"));

        assertThat(violations(broken)).anySatisfy(v -> assertThat(v).startsWith("ingress -> gateway:8080 GET /api/products: expected allowed"));
    }

    @Test
    void aDatabasePolicyOnTheWrongPortIsCaught() {
        List<Manifest> broken = broken("AuthorizationPolicy", "postgres",
                                       ap -> ((ArrayNode) ap.at("/spec/rules/0/to/0/operation/ports")).set(0, "5433"));

        assertThat(violations(broken)).anySatisfy(v -> assertThat(v).startsWith("order-service -> postgres:5432: expected allowed"));
    }

    @Test
    void permissiveMtlsWithARuleForAnyoneLetsOutsidersIn() {
        List<Manifest> permissive = broken("PeerAuthentication", "default", pa -> ((ObjectNode) pa.at("/spec/mtls")).put("mode", "PERMISSIVE"));
        List<Manifest> broken = Mutations.change(permissive, "AuthorizationPolicy", "gateway", ap -> ((ObjectNode) ap.at("/spec/rules/0")).remove("from"));

        assertThat(violations(permissive)).as("deny-by-default still holds outsiders off").isEmpty();
        assertThat(violations(broken)).contains("outside -> gateway:8080 GET /api/products: expected refused, allowed by AuthorizationPolicy/gateway");
        assertThat(violations(Mutations.change(real, "AuthorizationPolicy", "gateway", ap -> ((ObjectNode) ap.at("/spec/rules/0")).remove("from"))))
                .as("STRICT keeps them out").doesNotContain("outside -> gateway:8080 GET /api/products: expected refused, "
                                                                    + "allowed by AuthorizationPolicy/gateway");
    }

    @Test
    void noRequestAuthenticationAnswersForTheJavaGateway() {
        // A RequestAuthentication cannot be limited to some paths: at the gateway it refused an expired or foreign
        // token on public routes too (GET /api/products, POST /api/auth/refresh), in Envoy's text where the contract
        // has problem+json, and for up to 5 minutes after a key rotation (it re-reads keys on a timer, not on an
        // unknown kid) every token signed with the new key. The Java gateway checks each token where one is needed,
        // as it does under ./run-local.sh, and each service again.
        assertThat(real).noneMatch(m -> m.is("RequestAuthentication"));
    }

    private static List<String> violations(List<Manifest> manifests) {
        MeshAccess access = new MeshAccess(manifests);
        List<String> violations = new ArrayList<>();
        for (Call call : MATRIX) {
            MeshAccess.Verdict verdict = access.decide(caller(access, call.from()), call.to(), call.port(), call.method(), call.path());
            if (verdict.allowed() != call.allowed()) {
                violations.add(call + ": expected " + (call.allowed() ? "allowed" : "refused") + ", " + verdict.reason());
            }
        }
        return violations;
    }

    // every workload of the manifests, and every caller from outside them, against every broker's client port:
    // allowed exactly for the producers and consumers
    private static List<String> kafkaClientsBesidesTheEventClients(List<Manifest> manifests) {
        MeshAccess access = new MeshAccess(manifests);
        List<Caller> callers = new ArrayList<>(List.of(Caller.INGRESS, Caller.ISTIOD, Caller.PROMETHEUS, Caller.OUTSIDE, Caller.STRIMZI_OPERATOR));
        manifests.stream().filter(Manifest::isWorkload).forEach(w -> callers.add(access.caller(w.name())));
        List<String> wrong = new ArrayList<>();
        for (Manifest brokers : manifests.stream().filter(m -> m.is(StrimziOperands.KIND)).toList()) {
            for (Caller from : callers) {
                boolean eventClient = manifests.stream().anyMatch(w -> w.isWorkload() && w.name().equals(from.name())
                        && KafkaRule.EVENT_CLIENTS.contains(w.service()));
                MeshAccess.Verdict verdict = access.decide(from, brokers.name(), KAFKA, null, null);
                if (verdict.allowed() != eventClient) {
                    wrong.add(from.name() + (verdict.allowed() ? " reaches " : " does not reach ") + brokers.name() + ":" + KAFKA
                                      + ": " + verdict.reason());
                }
            }
        }
        assertThat(manifests).as("a broker pod set").anyMatch(m -> m.is(StrimziOperands.KIND));
        return wrong;
    }

    private static Caller caller(MeshAccess access, String name) {
        return switch (name) {
            case "ingress" -> Caller.INGRESS;
            case "istiod" -> Caller.ISTIOD;
            case "prometheus" -> Caller.PROMETHEUS;
            case "outside" -> Caller.OUTSIDE;
            case "strimzi-operator" -> Caller.STRIMZI_OPERATOR;
            default -> access.caller(name);
        };
    }

    private static Call allow(String from, String to, int port, String method, String path) {
        return new Call(from, to, port, method, path, true);
    }

    private static Call refuse(String from, String to, int port, String method, String path) {
        return new Call(from, to, port, method, path, false);
    }

    private static List<Manifest> broken(String kind, String name, Consumer<ObjectNode> change) {
        return Mutations.change(real, kind, name, change);
    }
}
