package io.example.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The Strimzi resources (no fabric8 model) checked against the openAPIV3Schema of the CRDs of the pinned Strimzi
 * release (test resources {@code strimzi-crds/}, see its README). The API server prunes an unknown field of a
 * structural schema silently (and kubectl's strict validation refuses it); here every object schema that names
 * its properties, and does not preserve unknown fields, admits no others, so a misspelt field fails as a wrong
 * type or a missing required field does. The CRDs' CEL rules ({@code x-kubernetes-validations}) are not evaluated:
 * the API server alone checks those.
 */
final class StrimziSchema {
    static final String GROUP = "kafka.strimzi.io";
    private static final List<String> CRDS = List.of("040-Crd-kafka.yaml", "045-Crd-kafkanodepool.yaml", "043-Crd-kafkatopic.yaml");
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
    private static Map<String, Schema> schemas;

    private StrimziSchema() {
    }

    /**
     * @param manifest a rendered object
     * @return whether its API group is Strimzi's
     */
    static boolean isStrimzi(Manifest manifest) {
        return manifest.apiVersion().startsWith(GROUP + "/");
    }

    /**
     * @param manifest a rendered Strimzi object
     * @return one line per departure from its CRD's schema; an unknown kind or version is one
     */
    static List<String> problems(Manifest manifest) {
        Optional<Schema> schema = Optional.ofNullable(schemas().get(manifest.apiVersion() + " " + manifest.kind()));
        if (schema.isEmpty()) {
            return List.of(manifest + ": Strimzi 1.2.0 serves no " + manifest.apiVersion() + " " + manifest.kind()
                                   + " (" + String.join(", ", schemas().keySet()) + ")");
        }
        return schema.get().validate(manifest.json()).stream().map(error -> manifest + ": " + error).toList();
    }

    private static synchronized Map<String, Schema> schemas() {
        if (schemas == null) {
            Map<String, Schema> loaded = new HashMap<>();
            for (String file : CRDS) {
                JsonNode crd = read("/strimzi-crds/" + file);
                String kind = crd.at("/spec/names/kind").asText();
                for (JsonNode version : crd.at("/spec/versions")) {
                    if (version.path("served").asBoolean()) {
                        JsonNode schema = version.at("/schema/openAPIV3Schema").deepCopy();
                        closeObjects(schema);
                        loaded.put(crd.at("/spec/group").asText() + "/" + version.path("name").asText() + " " + kind,
                                   REGISTRY.getSchema(schema));
                    }
                }
            }
            schemas = Map.copyOf(loaded);
        }
        return schemas;
    }

    // Structural schemas: an object with properties and neither additionalProperties nor
    // x-kubernetes-preserve-unknown-fields keeps only those properties. Branches of oneOf/anyOf state no type and
    // are left as they are (they only constrain which of the properties are set).
    private static void closeObjects(JsonNode node) {
        if (node instanceof ObjectNode object && "object".equals(object.path("type").asText()) && object.has("properties")
                && !object.has("additionalProperties") && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            object.put("additionalProperties", false);
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            closeObjects(children.next());
        }
    }

    private static JsonNode read(String resource) {
        try (InputStream in = StrimziSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test resources");
            }
            return Kustomize.YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
