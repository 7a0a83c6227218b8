package io.example.deploy;

import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka cluster of kubernetes/kafka/ as committed (three nodes), with the single-node component for kind, and
 * with everything on; and the broken forms the rule catches.
 */
class KafkaRuleTest {
    private static final List<Manifest> committed = Kustomize.render("kubernetes");
    private static final List<Manifest> singleNode = Kustomize.render("kubernetes", List.of("components/kafka-single-node"));

    @Test
    void threeNodesKeepThreeCopiesOfEveryTopicTwoInSync() {
        assertThat(KafkaRule.findings(committed)).isEmpty();
        assertThat(KafkaRule.findings(Kustomize.everything())).isEmpty();
        assertThat(one(committed, "KafkaNodePool", "dual-role").spec().path("replicas").asInt()).isEqualTo(3);
        assertThat(topics(committed)).allSatisfy(t -> {
            assertThat(t.spec().path("partitions").asInt()).isEqualTo(3);
            assertThat(t.spec().path("replicas").asInt()).isEqualTo(3);
            assertThat(t.spec().at("/config/min.insync.replicas").asInt()).isEqualTo(2);
        });
    }

    @Test
    void theKindComponentRendersOneNodeAndOneCopy() {
        assertThat(KafkaRule.findings(singleNode)).isEmpty();
        assertThat(StrictModel.problems(singleNode)).isEmpty();
        assertThat(one(singleNode, "KafkaNodePool", "dual-role").spec().path("replicas").asInt()).isEqualTo(1);
        assertThat(one(singleNode, "Kafka", "events").spec().at("/kafka/config/default.replication.factor").asInt()).isEqualTo(1);
        assertThat(topics(singleNode)).hasSize(KafkaRule.TOPICS.size()).allSatisfy(t -> {
            assertThat(t.spec().path("replicas").asInt()).isEqualTo(1);
            assertThat(t.spec().at("/config/min.insync.replicas").asInt()).isEqualTo(1);
        });
    }

    @Test
    void everyEventClientIsGivenTheBootstrapService() {
        assertThat(KafkaRule.bootstrap(one(committed, "Kafka", "events"))).hasValue("events-kafka-bootstrap.microservices.svc:9092");

        List<Manifest> unset = broken(committed, "ConfigMap", "gateway", cm -> ((ObjectNode) cm.path("data")).remove("KAFKA_BOOTSTRAP_SERVERS"));
        List<Manifest> wrongPort = broken(committed, "ConfigMap", "order-service",
                                          cm -> ((ObjectNode) cm.path("data")).put("KAFKA_BOOTSTRAP_SERVERS", "events-kafka-bootstrap.microservices.svc:9093"));

        assertThat(KafkaRule.findings(unset)).containsExactly("Deployment/gateway: KAFKA_BOOTSTRAP_SERVERS is '', not the cluster's "
                                                                      + "bootstrap events-kafka-bootstrap.microservices.svc:9092");
        assertThat(KafkaRule.findings(wrongPort)).singleElement().asString().startsWith("Deployment/order-service: KAFKA_BOOTSTRAP_SERVERS is "
                                                                                              + "'events-kafka-bootstrap.microservices.svc:9093'");
    }

    @Test
    void aTopicTheServicesUseMustBeDeclared() {
        assertThat(KafkaRule.findings(Mutations.without(committed, "KafkaTopic", "gateway.dlt"))).containsExactly("no KafkaTopic for topic gateway.dlt");
        assertThat(KafkaRule.findings(broken(committed, "KafkaTopic", "orders",
                                             t -> ((ObjectNode) t.path("metadata").path("labels")).put("strimzi.io/cluster", "other"))))
                .singleElement().asString().contains("KafkaTopic/orders: not labelled strimzi.io/cluster: events");
    }

    @Test
    void aTopicWithOtherThanThreePartitionsIsCaught() {
        assertThat(KafkaRule.findings(broken(committed, "KafkaTopic", "products", t -> ((ObjectNode) t.path("spec")).put("partitions", 1))))
                .containsExactly("KafkaTopic/products: 1 partitions, not 3");
    }

    @Test
    void aTopicWithFewerCopiesThanBrokersIsCaught() {
        assertThat(KafkaRule.findings(broken(committed, "KafkaTopic", "products", t -> ((ObjectNode) t.path("spec")).put("replicas", 2))))
                .containsExactly("KafkaTopic/products: replicas 2, not 3 (one per broker, at most 3)");
    }

    @Test
    void aTopicThatNeedsEveryCopyInSyncIsCaught() {
        assertThat(KafkaRule.findings(broken(committed, "KafkaTopic", "orders",
                                             t -> ((ObjectNode) t.at("/spec/config")).put("min.insync.replicas", 3))))
                .containsExactly("KafkaTopic/orders: min.insync.replicas 3, not 2");
    }

    @Test
    void aSingleNodeWithTopicsStillAskingForThreeCopiesIsCaught() {
        List<Manifest> broken = broken(singleNode, "KafkaTopic", "orders", t -> ((ObjectNode) t.path("spec")).put("replicas", 3));

        assertThat(KafkaRule.findings(broken)).containsExactly("KafkaTopic/orders: replicas 3, not 1 (one per broker, at most 3)");
    }

    @Test
    void deadLettersAreKeptLongerThanEvents() {
        List<Manifest> broken = broken(committed, "KafkaTopic", "product-service.dlt", t -> ((ObjectNode) t.at("/spec/config")).remove("retention.ms"));

        assertThat(KafkaRule.findings(broken)).containsExactly("KafkaTopic/product-service.dlt: retention.ms 604800000 is not longer than the events' 604800000");
    }

    @Test
    void theClustersDefaultsFollowTheBrokerCount() {
        assertThat(KafkaRule.findings(broken(committed, "Kafka", "events",
                                             k -> ((ObjectNode) k.at("/spec/kafka/config")).put("default.replication.factor", 1))))
                .containsExactly("Kafka/events: default.replication.factor is 1, not 3");
    }

    @Test
    void aClusterThatCreatesTopicsByItselfIsCaught() {
        assertThat(KafkaRule.findings(broken(committed, "Kafka", "events",
                                             k -> ((ObjectNode) k.at("/spec/kafka/config")).remove("auto.create.topics.enable"))))
                .singleElement().asString().contains("auto.create.topics.enable is not false");
    }

    @Test
    void anEvenQuorumIsCaught() {
        assertThat(KafkaRule.findings(broken(committed, "KafkaNodePool", "dual-role", p -> ((ObjectNode) p.path("spec")).put("replicas", 4))))
                .containsExactly("Kafka/events: 4 KRaft controllers; an even quorum tolerates no more failures than one fewer");
    }

    private static List<Manifest> topics(List<Manifest> manifests) {
        return manifests.stream().filter(m -> m.is("KafkaTopic")).toList();
    }

    private static Manifest one(List<Manifest> manifests, String kind, String name) {
        return manifests.stream().filter(m -> m.is(kind) && m.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<Manifest> broken(List<Manifest> manifests, String kind, String name, Consumer<ObjectNode> change) {
        return Mutations.change(manifests, kind, name, change);
    }
}
