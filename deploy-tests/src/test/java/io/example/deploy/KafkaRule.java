package io.example.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.example.commons.events.Topics;

import static io.example.deploy.MeshChecks.stream;

/**
 * The Kafka cluster fits what the services expect of it: each service that produces or consumes events is given
 * the cluster's bootstrap address; every topic the services use is declared (the cluster creates none by itself)
 * with three partitions, as many copies as there are brokers up to three and one fewer in sync for a write (at
 * least one), and dead letters kept longer than the events; the cluster's own defaults agree; the KRaft quorum has
 * an odd number of controllers. The same rule holds for three nodes and for the single-node component.
 */
final class KafkaRule {
    /** The services (Manifest.service()) that produce or consume events; auth-service does neither. */
    static final Set<String> EVENT_CLIENTS = Set.of("order-service", "product-service", "gateway");
    static final List<String> TOPICS = List.of(Topics.ORDERS, Topics.PRODUCTS, Topics.deadLetters("product-service"),
                                               Topics.deadLetters("gateway"));
    static final int PARTITIONS = 3;
    private static final int MOST_REPLICAS = 3;
    private static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    private KafkaRule() {
    }

    /**
     * @param manifests rendered objects
     * @return one line per departure
     */
    static List<String> findings(List<Manifest> manifests) {
        List<Manifest> clusters = manifests.stream().filter(m -> StrimziSchema.isStrimzi(m) && m.is("Kafka")).toList();
        if (clusters.size() != 1) {
            return List.of("expected one Kafka cluster, found " + clusters);
        }
        Manifest kafka = clusters.getFirst();
        List<String> findings = new ArrayList<>();
        Optional<String> bootstrap = bootstrap(kafka);
        if (bootstrap.isEmpty()) {
            findings.add(kafka + ": no internal listener without TLS on which the mesh's clients could connect");
        }
        bootstrap.ifPresent(address -> findings.addAll(clients(manifests, address)));
        int brokers = nodes(kafka, manifests, "broker");
        int controllers = nodes(kafka, manifests, "controller");
        if (controllers % 2 == 0) {
            findings.add(kafka + ": " + controllers + " KRaft controllers; an even quorum tolerates no more failures than one fewer");
        }
        int replicas = Math.min(brokers, MOST_REPLICAS);
        int inSync = Math.max(1, replicas - 1);
        findings.addAll(clusterDefaults(kafka, replicas, inSync));
        findings.addAll(topics(kafka, manifests, replicas, inSync));
        return findings;
    }

    /**
     * @param kafka a Kafka
     * @return {@code <cluster>-kafka-bootstrap.<namespace>.svc:<port>} of its plain internal listener
     */
    static Optional<String> bootstrap(Manifest kafka) {
        return stream(kafka.spec().at("/kafka/listeners"))
                .filter(l -> l.path("type").asText().equals("internal") && !l.path("tls").asBoolean())
                .findFirst()
                .map(l -> StrimziOperands.bootstrapService(kafka.name()) + "." + kafka.namespace() + ".svc:" + l.path("port").asInt());
    }

    private static List<String> clients(List<Manifest> manifests, String address) {
        List<String> findings = new ArrayList<>();
        for (Manifest w : manifests.stream().filter(m -> m.is("Deployment"))
                .filter(m -> EVENT_CLIENTS.contains(m.service())).toList()) {
            String stated = w.environment(manifests).getOrDefault(BOOTSTRAP_ENV, "");
            if (!stated.equals(address)) {
                findings.add(w + ": " + BOOTSTRAP_ENV + " is '" + stated + "', not the cluster's bootstrap " + address);
            }
        }
        return findings;
    }

    private static int nodes(Manifest kafka, List<Manifest> manifests, String role) {
        return StrimziOperands.pools(kafka, manifests).stream()
                .filter(p -> stream(p.spec().path("roles")).anyMatch(r -> r.asText().equals(role)))
                .mapToInt(p -> p.spec().path("replicas").asInt())
                .sum();
    }

    private static List<String> clusterDefaults(Manifest kafka, int replicas, int inSync) {
        JsonNode config = kafka.spec().at("/kafka/config");
        List<String> findings = new ArrayList<>();
        Map<String, Integer> expected = Map.of("default.replication.factor", replicas, "offsets.topic.replication.factor", replicas,
                                               "transaction.state.log.replication.factor", replicas, "min.insync.replicas", inSync,
                                               "transaction.state.log.min.isr", inSync);
        expected.forEach((key, value) -> {
            if (config.path(key).asInt(-1) != value) {
                findings.add(kafka + ": " + key + " is " + config.path(key).asText("unset") + ", not " + value);
            }
        });
        if (!config.path("auto.create.topics.enable").asText().equals("false")) {
            findings.add(kafka + ": auto.create.topics.enable is not false; a misspelt topic would be made with the defaults");
        }
        return findings;
    }

    private static List<String> topics(Manifest kafka, List<Manifest> manifests, int replicas, int inSync) {
        List<String> findings = new ArrayList<>();
        long longestEvents = 0;
        for (String name : TOPICS) {
            Optional<Manifest> topic = manifests.stream()
                    .filter(m -> StrimziSchema.isStrimzi(m) && m.is("KafkaTopic") && topicName(m).equals(name)).findFirst();
            if (topic.isEmpty()) {
                findings.add("no KafkaTopic for topic " + name);
                continue;
            }
            Manifest t = topic.get();
            if (!t.json().at("/metadata/labels/strimzi.io~1cluster").asText().equals(kafka.name())) {
                findings.add(t + ": not labelled strimzi.io/cluster: " + kafka.name() + ", so no topic operator creates it");
            }
            if (t.spec().path("partitions").asInt() != PARTITIONS) {
                findings.add(t + ": " + t.spec().path("partitions").asInt() + " partitions, not " + PARTITIONS);
            }
            if (t.spec().path("replicas").asInt() != replicas) {
                findings.add(t + ": replicas " + t.spec().path("replicas").asInt() + ", not " + replicas + " (one per broker, at most "
                                     + MOST_REPLICAS + ")");
            }
            if (t.spec().path("config").path("min.insync.replicas").asInt(-1) != inSync) {
                findings.add(t + ": min.insync.replicas " + t.spec().path("config").path("min.insync.replicas").asText("unset")
                                     + ", not " + inSync);
            }
            if (!name.endsWith(".dlt")) {
                longestEvents = Math.max(longestEvents, retention(t));
            }
        }
        for (Manifest dlt : manifests.stream().filter(m -> StrimziSchema.isStrimzi(m) && m.is("KafkaTopic"))
                .filter(m -> topicName(m).endsWith(".dlt")).toList()) {
            if (retention(dlt) <= longestEvents) {
                findings.add(dlt + ": retention.ms " + retention(dlt) + " is not longer than the events' " + longestEvents);
            }
        }
        return findings;
    }

    private static String topicName(Manifest topic) {
        return topic.spec().path("topicName").asText(topic.name());
    }

    // unset: Kafka's default of 7 days
    private static long retention(Manifest topic) {
        return topic.spec().path("config").path("retention.ms").asLong(604_800_000L);
    }
}
