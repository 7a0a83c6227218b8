package io.example.deploy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Parses manifests into fabric8's Kubernetes and Istio model classes and reports what those classes do
 * not know. fabric8 does not reject an unknown field: it keeps it in {@code additionalProperties}, so
 * every object is walked and that map must be empty everywhere (a misspelt field would otherwise be
 * silently dropped by the API server, or rejected by a strict one). Strimzi's and Flagger's resources have no model
 * class: they are checked against their CRDs' schemas instead ({@link StrimziSchema}, {@link FlaggerSchema}).
 */
final class StrictModel {
    private StrictModel() {
    }

    /**
     * @param manifest rendered object
     * @return the typed object
     */
    static HasMetadata typed(Manifest manifest) {
        return Serialization.unmarshal(manifest.json().toString(), HasMetadata.class);
    }

    /**
     * @param manifests rendered objects
     * @return one line per problem: an unknown kind or an unknown field, with its path (for Strimzi's kinds, also a
     *         wrong type or a missing required field)
     */
    static List<String> problems(List<Manifest> manifests) {
        List<String> problems = new ArrayList<>();
        for (Manifest manifest : manifests) {
            if (StrimziSchema.isStrimzi(manifest)) {
                problems.addAll(StrimziSchema.problems(manifest));
                continue;
            }
            if (FlaggerSchema.isFlagger(manifest)) {
                problems.addAll(FlaggerSchema.problems(manifest));
                continue;
            }
            HasMetadata typed = typed(manifest);
            if (typed instanceof GenericKubernetesResource) {
                problems.add(manifest + ": no model class for " + manifest.json().path("apiVersion").asText() + " "
                                     + manifest.kind());
                continue;
            }
            walk(typed, manifest.toString(), problems, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        }
        return problems;
    }

    /**
     * @param manifests rendered objects
     * @return one line per Istio object on an API version older than {@code v1} (served from Istio 1.22 on)
     */
    static List<String> oldIstioApis(List<Manifest> manifests) {
        return manifests.stream()
                .filter(m -> m.apiVersion().matches("[a-z.]+\\.istio\\.io/.*") && !m.apiVersion().endsWith("/v1"))
                .map(m -> m + ": " + m.apiVersion() + ", not v1")
                .toList();
    }

    private static void walk(Object value, String path, List<String> problems, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, problems, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            walk(child, path + "." + field, problems, seen);
        }
    }
}
