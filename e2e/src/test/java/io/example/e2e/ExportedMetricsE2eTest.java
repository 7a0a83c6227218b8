package io.example.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.example.commons.testing.ScrapedMetrics;
import io.example.commons.testing.TestHttp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics the alerts and dashboards read ({@code monitoring/service-metrics.txt}, which deploy-tests'
 * {@code MonitoringMetricNamesTest} holds every rule and panel to) are what the four services really export at
 * {@code /metrics}, with those labels, after a little of every journey. A metric or label renamed in the code
 * fails here.
 */
class ExportedMetricsE2eTest {
    private static final Path LISTED = Path.of("..", "monitoring", "service-metrics.txt");
    private final ServiceStack stack = ServiceStack.get();

    @Test
    void everyMetricTheMonitoringReadsIsExportedWithItsLabels() throws IOException {
        everyJourneyOnce();
        Map<String, Set<String>> exported = new HashMap<>();
        for (String service : ServiceStack.ALL) {
            ScrapedMetrics.of(stack.http(service)).labelNamesBySample()
                    .forEach((name, labels) -> exported.computeIfAbsent(name, n -> new TreeSet<>()).addAll(labels));
        }

        List<String> missing = new ArrayList<>();
        for (String line : Files.readAllLines(LISTED)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] fields = text.split("\\s+");
            Set<String> labels = exported.get(fields[0]);
            if (labels == null) {
                missing.add(fields[0]);
            } else if (fields.length > 1 && !labels.containsAll(Set.of(fields[1].split(",")))) {
                missing.add(fields[0] + " " + fields[1] + " (exported with " + labels + ")");
            }
        }

        assertThat(missing).as("listed in monitoring/service-metrics.txt, not exported").isEmpty();
    }

    // browse (twice: a cache miss, then a hit), log in, place an order, see my orders
    private void everyJourneyOnce() {
        TestHttp gateway = stack.http("gateway");
        String page = gateway.get("/api/products?limit=1&inStock=true").body();
        gateway.get("/api/products?limit=1&inStock=true");
        String product = Users.field(page, "id");
        gateway.get("/api/products/" + product);
        String token = Users.newUser(gateway);
        assertThat(gateway.postJson("/api/orders", "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}]}",
                                    token).statusCode()).isEqualTo(201);
        assertThat(gateway.send(gateway.request("/api/orders").header("Authorization", "Bearer " + token))
                           .statusCode()).isEqualTo(200);
    }
}
