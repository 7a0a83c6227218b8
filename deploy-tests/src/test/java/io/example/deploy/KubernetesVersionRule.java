package io.example.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/deploy.md states the oldest Kubernetes the deployment runs on, and it is no older than what the pinned
 * Istio supports and what the manifests use: a {@code sleep} lifecycle action (preStop) is on by default from
 * Kubernetes 1.30.
 */
final class KubernetesVersionRule {
    private static final Pattern STATED = Pattern.compile("\\| Kubernetes \\| \\*\\*1\\.(\\d+) or later\\*\\*");
    private static final int SLEEP_ACTION = 30;

    private KubernetesVersionRule() {
    }

    /**
     * @param guide     docs/deploy.md
     * @param manifests rendered objects
     * @param profile   the install profile
     * @return what the guide fails to state
     */
    static List<String> findings(String guide, List<Manifest> manifests, IstioProfile profile) {
        Matcher m = STATED.matcher(guide);
        if (!m.find()) {
            return List.of("docs/deploy.md states no minimum Kubernetes version (| Kubernetes | **1.N or later** |)");
        }
        int stated = Integer.parseInt(m.group(1));
        List<String> findings = new ArrayList<>();
        if (stated < profile.defaults().minKubernetes()) {
            findings.add("docs/deploy.md states Kubernetes 1." + stated + ", Istio " + profile.defaults().minor()
                                 + " needs 1." + profile.defaults().minKubernetes());
        }
        boolean sleeps = manifests.stream().filter(Manifest::isWorkload)
                .anyMatch(w -> !w.spec().path("template").path("spec").findValues("sleep").isEmpty());
        if (sleeps && stated < SLEEP_ACTION) {
            findings.add("docs/deploy.md states Kubernetes 1." + stated + ", the preStop sleep action needs 1." + SLEEP_ACTION);
        }
        return findings;
    }
}
