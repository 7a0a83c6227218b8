package io.example.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * loadgen as users run it ({@code java -jar loadgen/target/loadgen.jar}) against the four services, with the
 * gateway's rate limits as deployed: every route it knows is exercised, and nothing is a 5xx, a 401 or a 429.
 */
class LoadgenE2eTest {
    /** the table's rows: every route loadgen calls */
    private static final List<String> ROUTES = List.of(
            "POST /api/auth/register", "POST /api/auth/login", "POST /api/auth/refresh", "GET /api/auth/me",
            "GET /api/products/categories", "GET /api/products", "GET /api/products?q=", "GET /api/products/{id}",
            "GET /api/overview", "POST /api/orders", "GET /api/orders", "GET /api/orders/{id}",
            "POST /api/orders/{id}/cancel");
    /** the route column's width in loadgen's table */
    private static final int ROUTE_COLUMN = 34;

    private static ServiceStack stack;

    @BeforeAll
    static void startStack() {
        // A stack of its own: the shared one lifts the gateway's limits for the other tests, and these are the
        // limits loadgen must stay within (kubernetes/gateway/configmap.yaml, gateway's application.yaml).
        stack = ServiceStack.start(ServiceStack.ALL, Map.of("gateway", Map.of(
                "rate.limit.per.second", "50",
                "rate.limit.burst", "100",
                "login.rate.limit.per.minute", "10")));
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void shopsOnEveryRouteWithinTheGatewaysLimitsAndPrintsItsTable() throws Exception {
        Path out = Files.createTempFile("loadgen", ".out");
        Path err = Files.createTempFile("loadgen", ".err");
        Process loadgen = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString(),
                "--base", stack.url("gateway"), "--duration", "20s", "--users", "4", "--spawn-rate", "4/s", "--rate", "12/s",
                // short enough that every user refreshes (with rotation) and cancels within the run
                "--refresh-every", "5s", "--open-orders", "1", "--report-every", "5s",
                "--fail-on", "401,429,5xx,error")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();

        boolean finished = loadgen.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            loadgen.destroyForcibly();
        }
        String printed = Files.readString(out);
        String complaints = Files.readString(err);
        System.out.println(printed + complaints);

        assertThat(finished).as("loadgen ended within its duration").isTrue();
        assertThat(loadgen.exitValue()).as("exit code; stderr:%n%s%nstdout:%n%s", complaints, printed).isZero();
        assertThat(printed).as("a table every 5 s").contains("loadgen after ");
        String finalTable = printed.substring(printed.indexOf("loadgen final"));
        for (String route : ROUTES) {
            assertThat(count(finalTable, route)).as(route + " in%n" + finalTable).isPositive();
        }
        // count, 2xx, 3xx, 4xx, 429, 5xx, error
        List<Long> total = cells(finalTable, "total");
        assertThat(total.get(4)).as("429s").isZero();
        assertThat(total.get(5)).as("5xx").isZero();
        assertThat(total.get(6)).as("calls without an answer").isZero();
    }

    private static Path jar() throws IOException {
        Path jar = Path.of("..", "loadgen", "target", "loadgen.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IOException(jar + " is missing: run the build from the project root");
        }
        return jar;
    }

    private static long count(String table, String route) {
        return cells(table, route).getFirst();
    }

    private static List<Long> cells(String table, String row) {
        String line = table.lines()
                .filter(l -> l.length() > ROUTE_COLUMN && l.substring(0, ROUTE_COLUMN).trim().equals(row))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + row + " in\n" + table));
        return Arrays.stream(line.substring(ROUTE_COLUMN).trim().split("\\s+")).limit(7).map(Long::parseLong).toList();
    }
}
