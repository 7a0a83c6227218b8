package io.example.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric the rules and dashboards read exists, with the labels they use: one the services export (listed in
 * {@code monitoring/service-metrics.txt}, which e2e's {@code ExportedMetricsE2eTest} holds to the four services'
 * real {@code /metrics}), one Istio documents ({@link #ISTIO}), or one the recording rules make. A renamed metric
 * or label breaks the build here or there instead of leaving a panel empty and an alert silent.
 */
class MonitoringMetricNamesTest {
    /**
     * Istio's standard metrics as the rules and dashboards use them, with the labels Istio documents for them:
     * https://istio.io/latest/docs/reference/config/metrics/ ("Metrics" and "Labels"). The histogram's
     * {@code _bucket} series add {@code le}.
     */
    static final Map<String, Set<String>> ISTIO;
    /**
     * The labels a series gets from the scrape, not from the service: the Prometheus of Istio's add-ons keeps the
     * pod's labels ({@code app}, {@code version}) and adds {@code namespace}, {@code pod} and {@code node}
     * (samples/addons/prometheus.yaml, job kubernetes-pods); Prometheus itself adds {@code job} and {@code instance}.
     */
    static final Set<String> SCRAPE = Set.of("app", "version", "namespace", "pod", "node", "job", "instance");

    static {
        Set<String> labels = Set.of("reporter", "source_workload", "source_workload_namespace", "source_principal",
                                    "source_app", "source_version", "source_canonical_service",
                                    "source_canonical_revision", "source_cluster", "destination_workload",
                                    "destination_workload_namespace", "destination_principal", "destination_app",
                                    "destination_version", "destination_service", "destination_service_name",
                                    "destination_service_namespace", "destination_canonical_service",
                                    "destination_canonical_revision", "destination_cluster", "request_protocol",
                                    "response_code", "grpc_response_status", "response_flags",
                                    "connection_security_policy");
        Set<String> buckets = new HashSet<>(labels);
        buckets.add("le");
        ISTIO = Map.of("istio_requests_total", labels,
                       "istio_request_duration_milliseconds_bucket", Set.copyOf(buckets),
                       "istio_request_duration_milliseconds_count", labels,
                       "istio_request_duration_milliseconds_sum", labels);
    }

    private static final Path SERVICE_METRICS = Monitoring.ROOT.resolve("service-metrics.txt");
    private static final Pattern LABEL_VALUES = Pattern.compile("(?s)^\\s*label_values\\((.*),\\s*(\\w+)\\s*\\)\\s*$");

    @Test
    void everyRuleReadsExistingMetricsAndLabels() throws IOException {
        Map<String, Set<String>> known = known();
        List<String> problems = new ArrayList<>();

        for (Monitoring.Rule rule : Monitoring.rules()) {
            problems.addAll(problems(rule.file().getFileName() + " " + rule.name(), rule.expr(), known));
        }

        assertThat(problems).isEmpty();
    }

    @Test
    void everyDashboardQueryReadsExistingMetricsAndLabels() throws IOException {
        Map<String, Set<String>> known = known();
        List<String> problems = new ArrayList<>();

        for (Path dashboard : Monitoring.dashboards()) {
            List<String> queries = Monitoring.queries(Monitoring.json(dashboard));
            assertThat(queries).as(dashboard.getFileName().toString()).isNotEmpty();
            for (String query : queries) {
                Matcher variable = LABEL_VALUES.matcher(query);
                String where = dashboard.getFileName() + ": " + query;
                if (variable.matches()) {
                    problems.addAll(problems(where, variable.group(1), known));
                    if (!labelsOf(PromQlSelectors.of(variable.group(1)), known).contains(variable.group(2))) {
                        problems.add(where + ": no label " + variable.group(2));
                    }
                } else {
                    problems.addAll(problems(where, query, known));
                }
            }
        }

        assertThat(problems).isEmpty();
    }

    @Test
    void everyListedServiceMetricIsUsed() throws IOException {
        Set<String> used = new TreeSet<>();
        Monitoring.rules().forEach(rule -> PromQlSelectors.of(rule.expr()).selectors()
                .forEach(selector -> used.add(selector.metric())));
        for (Path dashboard : Monitoring.dashboards()) {
            for (String query : Monitoring.queries(Monitoring.json(dashboard))) {
                PromQlSelectors.of(query).selectors().forEach(selector -> used.add(selector.metric()));
            }
        }

        assertThat(used).containsAll(serviceMetrics().keySet());
    }

    @Test
    void theSelectorReaderFindsNamesLabelsAndGroupingAndSkipsTheRest() {
        PromQlSelectors read = PromQlSelectors.of(
                "histogram_quantile(0.99, sum by (le, route) (rate(http_server_requests_seconds_bucket"
                        + "{app=~\"$app\", status!~\"5..\"}[$__rate_interval] offset 1h)))"
                        + " / on (namespace) group_left sum(journey:requests:rate5m) > bool 0.5 and inf");

        assertThat(read.selectors()).containsExactly(
                new PromQlSelectors.Selector("http_server_requests_seconds_bucket", Set.of("app", "status")),
                new PromQlSelectors.Selector("journey:requests:rate5m", Set.of()));
        assertThat(read.grouping()).containsExactlyInAnyOrder("le", "route", "namespace");
    }

    private static List<String> problems(String where, String expr, Map<String, Set<String>> known) {
        List<String> problems = new ArrayList<>();
        PromQlSelectors read = PromQlSelectors.of(expr);
        for (PromQlSelectors.Selector selector : read.selectors()) {
            Set<String> labels = known.get(selector.metric());
            if (labels == null) {
                problems.add(where + ": no metric " + selector.metric());
                continue;
            }
            for (String label : selector.labels()) {
                if (!labels.contains(label) && !SCRAPE.contains(label)) {
                    problems.add(where + ": " + selector.metric() + " has no label " + label);
                }
            }
        }
        Set<String> available = labelsOf(read, known);
        for (String label : read.grouping()) {
            if (!available.contains(label)) {
                problems.add(where + ": no metric read has the label " + label);
            }
        }
        return problems;
    }

    private static Set<String> labelsOf(PromQlSelectors read, Map<String, Set<String>> known) {
        Set<String> labels = new HashSet<>(SCRAPE);
        read.selectors().forEach(selector -> labels.addAll(known.getOrDefault(selector.metric(), Set.of())));
        return labels;
    }

    // the services' (listed), Istio's, and what the recording rules make: their static labels and what they keep
    private static Map<String, Set<String>> known() throws IOException {
        Map<String, Set<String>> known = new HashMap<>(serviceMetrics());
        known.putAll(ISTIO);
        for (Monitoring.Rule rule : Monitoring.rules()) {
            if (!rule.isAlert()) {
                Set<String> labels = known.computeIfAbsent(rule.name(), name -> new HashSet<>());
                rule.rule().path("labels").fieldNames().forEachRemaining(labels::add);
                labels.addAll(PromQlSelectors.of(rule.expr()).grouping());
            }
        }
        return known;
    }

    /**
     * @return {@code monitoring/service-metrics.txt}: per line a sample name and the labels the services give it
     *         (comma-separated), {@code #} comments
     */
    static Map<String, Set<String>> serviceMetrics() throws IOException {
        Map<String, Set<String>> metrics = new HashMap<>();
        for (String line : Files.readAllLines(SERVICE_METRICS)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] fields = text.split("\\s+");
            metrics.put(fields[0], fields.length > 1 ? Set.of(fields[1].split(",")) : Set.of());
        }
        return metrics;
    }
}
