package io.example.deploy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One rendered object, as a JSON tree for cross-reference checks.
 *
 * @param json the object
 */
record Manifest(ObjectNode json) {
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
     * @param manifests the rendered objects it may refer to
     * @return a workload's (first) container's environment: its ConfigMaps (envFrom), then its literal env values
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
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        }
        return env;
    }

    boolean isWorkload() {
        return is("Deployment") || is("StatefulSet");
    }

    @Override
    public String toString() {
        return kind() + "/" + name();
    }
}
