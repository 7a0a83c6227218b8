package io.example.deploy;

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

    boolean isWorkload() {
        return is("Deployment") || is("StatefulSet");
    }

    @Override
    public String toString() {
        return kind() + "/" + name();
    }
}
