package io.example.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class ReportTableTest {
    private static final long MS = 1_000_000;

    private static List<String> cells(String table, String rowStart) {
        String line = table.lines().filter(l -> l.startsWith(rowStart)).findFirst().orElseThrow();
        return Arrays.asList(line.substring(34).trim().split("\\s+"));
    }

    @Test
    void everyRouteHasARowWithItsCountsPerStatusClassAndPercentiles() {
        TrafficStats stats = new TrafficStats();
        stats.answered(Route.PLACE_ORDER, 201, 10 * MS);
        stats.answered(Route.PLACE_ORDER, 409, 20 * MS);
        stats.answered(Route.PLACE_ORDER, 429, 1 * MS);
        stats.answered(Route.PLACE_ORDER, 503, 30 * MS);
        stats.unanswered(Route.PLACE_ORDER, 40 * MS);

        String table = ReportTable.render("loadgen final", stats.summary());

        assertThat(table.lines().findFirst()).contains("loadgen final");
        assertThat(table.lines().skip(1).findFirst().orElseThrow())
                .startsWith("route").containsSubsequence("count", "2xx", "3xx", "4xx", "429", "5xx", "error",
                        "p50 ms", "p90 ms", "p99 ms", "max ms");
        // count, 2xx, 3xx, 4xx, 429, 5xx, error, p50, p90, p99, max
        assertThat(cells(table, "POST /api/orders "))
                .containsExactly("5", "1", "0", "1", "1", "1", "1", "20", "40", "40", "40.0");
        assertThat(table).contains("GET /api/products/{id}", "POST /api/orders/{id}/cancel", "POST /api/auth/refresh");
        assertThat(table.lines().filter(l -> l.matches("(GET|POST) /api/.*"))).hasSize(Route.values().length);
    }

    @Test
    void theTotalRowAddsUpEveryRoute() {
        TrafficStats stats = new TrafficStats();
        stats.answered(Route.LOGIN, 200, MS);
        stats.answered(Route.BROWSE, 200, MS);
        stats.answered(Route.ME, 401, MS);

        String table = ReportTable.render("t", stats.summary());

        assertThat(cells(table, "total")).containsExactly("3", "2", "0", "1", "0", "0", "0");
    }
}
