package io.example.deploy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One rendered object, as a JSON tree for cross-reference checks.
 *
 * @param json the object
 */
record Manifest(ObjectNode json) {
    private static final Pattern POD_LABEL = Pattern.compile("metadata\\.labels\\['([^']+)'\\]");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

    String kind() {
        return json.path("kind").asText();
    }

    String apiVersion() {
        return json.path("apiVersion").asText();
    }

    String name() {
        return json.path("metadata").path("name").asText();
    }

    String namespace() {
        return json.path("metadata").path("namespace").asText("default");
    }

    JsonNode spec() {
        return json.path("spec");
    }

    boolean is(String kind) {
        return kind().equals(kind);
    }

    /**
     * @return the pod template's labels, for Deployments and StatefulSets
     */
    JsonNode podLabels() {
        return spec().path("template").path("metadata").path("labels");
    }

    /**
     * @return the service a workload's pods run, as Istio names it (its canonical service): the pod label
     *         {@code service.istio.io/canonical-name}, else {@code app.kubernetes.io/name}, else {@code app}. Flagger's
     *         primary has {@code app: <name>-primary} and keeps the first (kubernetes/components/canary-product-service).
     */
    String service() {
        JsonNode labels = podLabels();
        return labels.path("service.istio.io/canonical-name").asText(labels.path("app.kubernetes.io/name").asText(labels.path("app").asText()));
    }

    /**
     * @param manifests the rendered objects it may refer to
     * @return a workload's (first) container's environment as its process sees it: its ConfigMaps (envFrom), then its
     *         env values with {@code $(NAME)} expanded from the entries before, as Kubernetes does, and the downward
     *         API's pod labels and namespace; a field known only when the pod exists reads {@code <fieldPath>}, e.g.
     *         {@code <metadata.name>}. Secrets are left out.
     */
    Map<String, String> environment(List<Manifest> manifests) {
        Map<String, String> env = new HashMap<>();
        JsonNode container = spec().at("/template/spec/containers/0");
        for (JsonNode from : container.path("envFrom")) {
            String name = from.path("configMapRef").path("name").asText();
            manifests.stream().filter(m -> m.is("ConfigMap") && m.name().equals(name)).findFirst()
                    .ifPresent(cm -> env.putAll(MeshChecks.map(cm.json().path("data"))));
        }
        for (JsonNode e : container.path("env")) {
            if (e.has("value")) {
                env.put(e.path("name").asText(), expand(e.path("value").asText(), env));
            } else if (e.path("valueFrom").has("fieldRef")) {
                env.put(e.path("name").asText(), podField(e.path("valueFrom").path("fieldRef").path("fieldPath").asText()));
            }
        }
        return env;
    }

    private String podField(String fieldPath) {
        Matcher label = POD_LABEL.matcher(fieldPath);
        if (label.matches()) {
            return podLabels().path(label.group(1)).asText();
        }
        return fieldPath.equals("metadata.namespace") ? namespace() : "<" + fieldPath + ">";
    }

    // Kubernetes leaves a reference to a variable not defined before as it is
    private static String expand(String value, Map<String, String> defined) {
        return REFERENCE.matcher(value).replaceAll(m -> Matcher.quoteReplacement(defined.getOrDefault(m.group(1), m.group())));
    }

    /**
     * @return whether it makes pods from a template: a Deployment, a StatefulSet, or the model of a Strimzi pod set
     *         ({@link StrimziOperands})
     */
    boolean isWorkload() {
        return is("Deployment") || is("StatefulSet") || is(StrimziOperands.KIND);
    }

    /**
     * @param annotation a pod template annotation holding a comma-separated list of ports, e.g.
     *                   {@code traffic.sidecar.istio.io/excludeInboundPorts}
     * @return those ports; none when it is not set
     */
    Set<Integer> podPorts(String annotation) {
        String ports = spec().path("template").path("metadata").path("annotations").path(annotation).asText("");
        return Arrays.stream(ports.split(",")).map(String::trim).filter(p -> !p.isEmpty()).map(Integer::valueOf)
                .collect(Collectors.toSet());
    }

    @Override
    public String toString() {
        return kind() + "/" + name();
    }
}
