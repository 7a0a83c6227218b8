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
 * The resources of an operator's API group (no fabric8 model) checked against the openAPIV3Schema of the CRDs of the
 * release the deployment pins, vendored as test resources (a folder with a README saying where they come from). The
 * API server prunes an unknown field of a structural schema silently (and kubectl's strict validation refuses it);
 * here every object schema that names its properties, and does not preserve unknown fields, admits no others, so a
 * misspelt field fails as a wrong type or a missing required field does. The CRDs' CEL rules
 * ({@code x-kubernetes-validations}) are not evaluated: the API server alone checks those.
 */
final class CrdSchemas {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

    private final String group;
    private final String release;
    private final String folder;
    private final List<String> crds;
    private Map<String, Schema> schemas;

    /**
     * @param group   the API group, e.g. {@code kafka.strimzi.io}
     * @param release the pinned release, for messages, e.g. {@code Strimzi 1.2.0}
     * @param folder  the test resources folder holding the CRDs, e.g. {@code /strimzi-crds/}
     * @param crds    the CRD files in it
     */
    CrdSchemas(String group, String release, String folder, List<String> crds) {
        this.group = group;
        this.release = release;
        this.folder = folder;
        this.crds = crds;
    }

    /**
     * @param manifest a rendered object
     * @return whether its API group is this one
     */
    boolean covers(Manifest manifest) {
        return manifest.apiVersion().startsWith(group + "/");
    }

    /**
     * @param manifest a rendered object of this group
     * @return one line per departure from its CRD's schema; an unknown kind or version is one
     */
    List<String> problems(Manifest manifest) {
        Optional<Schema> schema = Optional.ofNullable(schemas().get(manifest.apiVersion() + " " + manifest.kind()));
        if (schema.isEmpty()) {
            return List.of(manifest + ": " + release + " serves no " + manifest.apiVersion() + " " + manifest.kind()
                                   + " (" + String.join(", ", schemas().keySet()) + ")");
        }
        return schema.get().validate(manifest.json()).stream().map(error -> manifest + ": " + error).toList();
    }

    private synchronized Map<String, Schema> schemas() {
        if (schemas == null) {
            Map<String, Schema> loaded = new HashMap<>();
            for (String file : crds) {
                JsonNode crd = read(folder + file);
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
        try (InputStream in = CrdSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test resources");
            }
            return Kustomize.YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
