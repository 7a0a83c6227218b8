package io.example.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static io.example.deploy.MeshChecks.stream;

/**
 * What the Strimzi operator makes from a {@code Kafka} and its {@code KafkaNodePool}s, as far as the mesh sees it,
 * so the mesh checks cover the brokers like any workload: per pool a {@code StrimziPodSet} (modelled with the pod
 * template its pods share: Strimzi's labels, the {@code template.pod} labels and annotations, service account
 * {@code <cluster>-kafka}, the container ports), the bootstrap and headless broker Services, and the entity
 * operator's Deployment. Names, labels and ports are those of Strimzi 1.2.0's {@code KafkaCluster} and
 * {@code ListenersUtils}; the objects carry the pod labels on themselves too, as the mesh checks read them there.
 */
final class StrimziOperands {
    static final String KIND = "StrimziPodSet";
    static final int CONTROL_PLANE = 9090;
    static final int REPLICATION = 9091;
    static final int KAFKA_AGENT = 8443;
    /** The ports every node has besides its listeners, by Strimzi's names for them. */
    private static final Map<String, Integer> NODE_PORTS = Map.of("tcp-ctrlplane", CONTROL_PLANE, "tcp-replication", REPLICATION,
                                                                  "tcp-kafkaagent", KAFKA_AGENT);

    private StrimziOperands() {
    }

    /**
     * @param manifests rendered objects
     * @return the objects the operator would make for each Kafka among them
     */
    static List<Manifest> of(List<Manifest> manifests) {
        List<Manifest> made = new ArrayList<>();
        for (Manifest kafka : manifests.stream().filter(m -> StrimziSchema.isStrimzi(m) && m.is("Kafka")).toList()) {
            String cluster = kafka.name();
            Map<String, Integer> listeners = listenerPorts(kafka);
            for (Manifest pool : pools(kafka, manifests)) {
                made.add(podSet(kafka, pool, listeners));
            }
            // clients and Strimzi's tools bootstrap from any broker; the headless Service names every node
            made.add(service(kafka, bootstrapService(cluster), false, "bootstrapService", brokers(cluster),
                             with(Map.of("tcp-replication", REPLICATION), listeners)));
            made.add(service(kafka, brokersService(cluster), true, "brokersService", selector(cluster), with(NODE_PORTS, listeners)));
            if (kafka.spec().has("entityOperator")) {
                made.add(entityOperator(kafka));
            }
        }
        return made;
    }

    /**
     * @param kafka a Kafka
     * @param all   rendered objects
     * @return its node pools (label {@code strimzi.io/cluster}, same namespace)
     */
    static List<Manifest> pools(Manifest kafka, List<Manifest> all) {
        return all.stream().filter(m -> StrimziSchema.isStrimzi(m) && m.is("KafkaNodePool"))
                .filter(p -> p.namespace().equals(kafka.namespace())
                        && p.json().at("/metadata/labels/strimzi.io~1cluster").asText().equals(kafka.name()))
                .toList();
    }

    static String bootstrapService(String cluster) {
        return cluster + "-kafka-bootstrap";
    }

    static String brokersService(String cluster) {
        return cluster + "-kafka-brokers";
    }

    /**
     * @param kafka a Kafka
     * @return each internal listener's Service port name (Strimzi's: tcp-clients for plain:9092, else tcp-name) and
     *         port
     */
    static Map<String, Integer> listenerPorts(Manifest kafka) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (JsonNode listener : kafka.spec().at("/kafka/listeners")) {
            if (!listener.path("type").asText().equals("internal")) {
                continue;
            }
            String name = listener.path("name").asText();
            int port = listener.path("port").asInt();
            ports.put(name.equals("plain") && port == 9092 ? "tcp-clients"
                              : name.equals("tls") && port == 9093 ? "tcp-clientstls" : "tcp-" + name, port);
        }
        return ports;
    }

    private static Manifest podSet(Manifest kafka, Manifest pool, Map<String, Integer> listeners) {
        String cluster = kafka.name();
        List<String> roles = stream(pool.spec().path("roles")).map(JsonNode::asText).toList();
        Map<String, String> labels = new LinkedHashMap<>(selector(cluster));
        labels.put("strimzi.io/pool-name", pool.name());
        labels.put("strimzi.io/broker-role", Boolean.toString(roles.contains("broker")));
        labels.put("strimzi.io/controller-role", Boolean.toString(roles.contains("controller")));
        // a pool's own template replaces the cluster's
        JsonNode metadata = pool.spec().at("/template/pod/metadata").isMissingNode()
                ? kafka.spec().at("/kafka/template/pod/metadata") : pool.spec().at("/template/pod/metadata");
        labels.putAll(MeshChecks.map(metadata.path("labels")));
        Map<String, Integer> ports = roles.contains("broker") ? with(NODE_PORTS, listeners) : NODE_PORTS;
        ObjectNode set = workload(KIND, cluster + "-" + pool.name(), kafka.namespace(), labels, metadata.path("annotations"),
                                  cluster + "-kafka", "kafka", ports);
        ((ObjectNode) set.get("spec")).put("replicas", pool.spec().path("replicas").asInt());
        return new Manifest(set);
    }

    private static Manifest entityOperator(Manifest kafka) {
        String name = kafka.name() + "-entity-operator";
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("strimzi.io/cluster", kafka.name());
        labels.put("strimzi.io/kind", "Kafka");
        labels.put("strimzi.io/name", name);
        JsonNode metadata = kafka.spec().at("/entityOperator/template/pod/metadata");
        labels.putAll(MeshChecks.map(metadata.path("labels")));
        return new Manifest(workload("Deployment", name, kafka.namespace(), labels, metadata.path("annotations"), name,
                                     "topic-operator", Map.of("healthcheck-to", 8080)));
    }

    private static ObjectNode workload(String kind, String name, String namespace, Map<String, String> labels,
                                       JsonNode annotations, String serviceAccount, String container, Map<String, Integer> ports) {
        ObjectNode w = Kustomize.YAML.createObjectNode();
        w.put("apiVersion", kind.equals(KIND) ? "core.strimzi.io/v1" : "apps/v1").put("kind", kind);
        ObjectNode meta = w.putObject("metadata").put("name", name).put("namespace", namespace);
        meta.set("labels", Kustomize.YAML.valueToTree(labels));
        ObjectNode template = w.putObject("spec").putObject("template");
        ObjectNode podMeta = template.putObject("metadata");
        podMeta.set("labels", Kustomize.YAML.valueToTree(labels));
        if (!annotations.isMissingNode()) {
            podMeta.set("annotations", annotations.deepCopy());
        }
        ObjectNode pod = template.putObject("spec").put("serviceAccountName", serviceAccount);
        ArrayNode containerPorts = pod.putArray("containers").addObject().put("name", container).putArray("ports");
        ports.forEach((portName, port) -> containerPorts.addObject().put("name", portName).put("containerPort", port));
        return w;
    }

    private static Manifest service(Manifest kafka, String name, boolean headless, String template,
                                    Map<String, String> selector, Map<String, Integer> servicePorts) {
        ObjectNode svc = Kustomize.YAML.createObjectNode();
        svc.put("apiVersion", "v1").put("kind", "Service");
        ObjectNode meta = svc.putObject("metadata").put("name", name).put("namespace", kafka.namespace());
        JsonNode labels = kafka.spec().at("/kafka/template/" + template + "/metadata/labels");
        meta.set("labels", labels.isObject() ? labels.deepCopy() : Kustomize.YAML.createObjectNode());
        ObjectNode spec = svc.putObject("spec");
        if (headless) {
            spec.put("clusterIP", "None").put("publishNotReadyAddresses", true);
        }
        spec.set("selector", Kustomize.YAML.valueToTree(selector));
        ArrayNode ports = spec.putArray("ports");
        servicePorts.forEach((portName, port) -> ports.addObject().put("name", portName).put("port", port).put("targetPort", portName));
        return new Manifest(svc);
    }

    private static Map<String, Integer> with(Map<String, Integer> ports, Map<String, Integer> more) {
        Map<String, Integer> all = new LinkedHashMap<>(ports);
        all.putAll(more);
        return all;
    }

    private static Map<String, String> selector(String cluster) {
        return Map.of("strimzi.io/cluster", cluster, "strimzi.io/kind", "Kafka", "strimzi.io/name", cluster + "-kafka");
    }

    private static Map<String, String> brokers(String cluster) {
        Map<String, String> brokers = new LinkedHashMap<>(selector(cluster));
        brokers.put("strimzi.io/broker-role", "true");
        return brokers;
    }
}
