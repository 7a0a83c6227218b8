package io.example.deploy;

import java.util.List;

/**
 * Flagger's resources ({@code Canary}, {@code MetricTemplate}: no fabric8 model) checked against the CRDs of the
 * Flagger release docs/canary.md installs (test resources {@code flagger-crds/}, see its README), as
 * {@link CrdSchemas} does.
 */
final class FlaggerSchema {
    static final String RELEASE = "Flagger 1.44.0";
    private static final CrdSchemas CRDS = new CrdSchemas("flagger.app", RELEASE, "/flagger-crds/",
            List.of("canaries.yaml", "metrictemplates.yaml"));

    private FlaggerSchema() {
    }

    /**
     * @param manifest a rendered object
     * @return whether its API group is Flagger's
     */
    static boolean isFlagger(Manifest manifest) {
        return CRDS.covers(manifest);
    }

    /**
     * @param manifest a rendered Flagger object
     * @return one line per departure from its CRD's schema; an unknown kind or version is one
     */
    static List<String> problems(Manifest manifest) {
        return CRDS.problems(manifest);
    }
}
