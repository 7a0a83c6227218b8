package io.example.deploy;

import java.util.List;

/**
 * The Strimzi resources (no fabric8 model) checked against the CRDs of the pinned Strimzi release (test resources
 * {@code strimzi-crds/}, see its README), as {@link CrdSchemas} does.
 */
final class StrimziSchema {
    static final String GROUP = "kafka.strimzi.io";
    private static final CrdSchemas CRDS = new CrdSchemas(GROUP, "Strimzi 1.2.0", "/strimzi-crds/",
            List.of("040-Crd-kafka.yaml", "045-Crd-kafkanodepool.yaml", "043-Crd-kafkatopic.yaml"));

    private StrimziSchema() {
    }

    /**
     * @param manifest a rendered object
     * @return whether its API group is Strimzi's
     */
    static boolean isStrimzi(Manifest manifest) {
        return CRDS.covers(manifest);
    }

    /**
     * @param manifest a rendered Strimzi object
     * @return one line per departure from its CRD's schema; an unknown kind or version is one
     */
    static List<String> problems(Manifest manifest) {
        return CRDS.problems(manifest);
    }
}
