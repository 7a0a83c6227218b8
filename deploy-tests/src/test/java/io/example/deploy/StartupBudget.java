package io.example.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A service that waits for PostgreSQL at start ({@code db.start-wait}) must be given that long by its
 * startupProbe, and time to start after it: otherwise the kubelet kills it while it waits, and a first deploy
 * (PostgreSQL starting beside the services) crash-loops. The wait is the container's environment
 * ({@code DB_START_DASH_WAIT}) or else the module's application.yaml, as the service reads it.
 */
final class StartupBudget {
    /** What a service needs after the database answers: JVM start, migrations, first readiness. */
    static final Duration START_MARGIN = Duration.ofSeconds(20);
    private static final String WAIT_KEY = "db.start-wait";

    private StartupBudget() {
    }

    /**
     * @param manifests rendered objects
     * @return one line per Deployment whose startupProbe ends before its database wait and start do
     */
    static List<String> findings(List<Manifest> manifests) {
        List<String> findings = new ArrayList<>();
        for (Manifest w : ConnectionBudget.databaseClients(manifests)) {
            Duration wait = startWait(w, manifests);
            JsonNode probe = w.spec().at("/template/spec/containers/0/startupProbe");
            if (probe.isMissingNode()) {
                findings.add(w + ": waits up to " + wait + " for PostgreSQL and has no startupProbe");
                continue;
            }
            Duration allowed = Duration.ofSeconds(probe.path("initialDelaySeconds").asLong(0)
                                                          + probe.path("periodSeconds").asLong(10)
                                                          * probe.path("failureThreshold").asLong(3));
            if (allowed.compareTo(wait.plus(START_MARGIN)) < 0) {
                findings.add(w + ": its startupProbe gives up after " + allowed + ", before " + WAIT_KEY + " (" + wait
                                     + ") and a start (" + START_MARGIN + ") are over");
            }
        }
        return findings;
    }

    private static Duration startWait(Manifest w, List<Manifest> manifests) {
        Optional<String> stated = ServiceEnvironment.value(w.environment(manifests), WAIT_KEY);
        return Duration.parse(stated.orElseGet(() -> moduleDefault(w.service())));
    }

    private static String moduleDefault(String module) {
        Path yaml = Kustomize.root().resolve(module).resolve("src/main/resources/application.yaml");
        try {
            JsonNode wait = Kustomize.YAML.readTree(yaml.toFile()).at("/db/start-wait");
            if (wait.isMissingNode()) {
                throw new IllegalStateException(yaml + " has no " + WAIT_KEY);
            }
            return wait.asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
