package io.example.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The files of {@code monitoring/}: the rule files (the source of truth), their promtool tests, the dashboards,
 * and promtool itself. promtool must be installed ({@code .ci/run} installs Debian's {@code prometheus} package,
 * which ships it): without it the tests fail, they never skip.
 */
final class Monitoring {
    static final Path ROOT = Kustomize.root().resolve("monitoring");
    static final Path RULES = ROOT.resolve("rules");
    static final Path DASHBOARDS = ROOT.resolve("dashboards");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One rule of a rule file.
     *
     * @param file  the file it is in
     * @param group its group's name
     * @param rule  the rule ({@code record} or {@code alert}, {@code expr}, ...)
     */
    record Rule(Path file, String group, JsonNode rule) {
        boolean isAlert() {
            return rule.has("alert");
        }

        String name() {
            return isAlert() ? rule.path("alert").asText() : rule.path("record").asText();
        }

        String expr() {
            return rule.path("expr").asText();
        }
    }

    private Monitoring() {
    }

    /**
     * @return the rule files, in the order the PrometheusRule holds them
     */
    static List<Path> ruleFiles() {
        return List.of(RULES.resolve("slo-recording-rules.yaml"), RULES.resolve("slo-alerts.yaml"),
                       RULES.resolve("cause-alerts.yaml"));
    }

    static List<Path> ruleTests() {
        return files(RULES.resolve("tests"), ".yaml");
    }

    static List<Path> dashboards() {
        return files(DASHBOARDS, ".json");
    }

    static JsonNode yaml(Path file) {
        try {
            return Kustomize.YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return every rule of every rule file
     */
    static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (Path file : ruleFiles()) {
            for (JsonNode group : yaml(file).path("groups")) {
                group.path("rules").forEach(rule -> rules.add(new Rule(file, group.path("name").asText(), rule)));
            }
        }
        return rules;
    }

    /**
     * Every query of a dashboard: its panels' targets (rows' panels too) and its template variables' queries.
     *
     * @param dashboard a dashboard
     * @return the PromQL text of each
     */
    static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        panelQueries(dashboard.path("panels"), queries);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                queries.add(query.isObject() ? query.path("query").asText() : query.asText());
            }
        }
        return queries;
    }

    private static void panelQueries(JsonNode panels, List<String> queries) {
        for (JsonNode panel : panels) {
            panel.path("targets").forEach(target -> {
                if (target.has("expr")) {
                    queries.add(target.path("expr").asText());
                }
            });
            panelQueries(panel.path("panels"), queries);
        }
    }

    /**
     * Run promtool in {@code monitoring/rules}.
     *
     * @param args its arguments, e.g. {@code check rules slo-alerts.yaml}
     * @return its exit code and output
     */
    static Result promtool(String... args) {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(RULES.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("promtool is needed to check the alerting rules and could not be started ("
                                                    + e.getMessage() + "); install it, e.g. apt-get install prometheus"
                                                    + " (.ci/run does)", e);
        }
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> Kustomize.readAll(p.getInputStream()));
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 120 s");
            }
            return new Result(p.exitValue(), out.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param exitCode promtool's exit code
     * @param output   what it wrote, stdout and stderr together
     */
    record Result(int exitCode, String output) {
    }

    private static List<Path> files(Path folder, String suffix) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
