package io.example.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics Istio's sidecars export and the labels they carry (Istio's "Istio Standard Metrics" reference,
 * istio.io/latest/docs/reference/config/metrics/, for the Telemetry API's default metrics of 1.31), and a reader of
 * the selectors a PromQL query names, so an analysis query can be held to them: a misspelt metric or label selects
 * nothing, and Flagger then fails the check for want of data (or passes it on another series).
 */
final class IstioMetrics {
    /** Counters (Prometheus adds nothing) and distributions (exported as histograms: _bucket, _sum, _count). */
    static final Set<String> COUNTERS = Set.of("istio_requests_total", "istio_request_messages_total",
            "istio_response_messages_total", "istio_tcp_sent_bytes_total", "istio_tcp_received_bytes_total",
            "istio_tcp_connections_opened_total", "istio_tcp_connections_closed_total");
    static final Set<String> DISTRIBUTIONS = Set.of("istio_request_duration_milliseconds", "istio_request_bytes",
            "istio_response_bytes");
    static final Set<String> LABELS = Set.of("reporter", "source_workload", "source_workload_namespace", "source_principal",
            "source_app", "source_version", "source_canonical_service", "source_canonical_revision", "source_cluster",
            "destination_workload", "destination_workload_namespace", "destination_principal", "destination_app",
            "destination_version", "destination_service", "destination_service_name", "destination_service_namespace",
            "destination_canonical_service", "destination_canonical_revision", "destination_cluster", "request_protocol",
            "response_code", "grpc_response_status", "response_flags", "connection_security_policy");
    /** A histogram's bucket bound, on the _bucket series only. */
    static final String BUCKET_BOUND = "le";
    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");

    /**
     * @param name    a label
     * @param op      =, !=, =~ or !~
     * @param value   its value, Flagger's template variables as {@code <name>} (e.g. {@code <target>})
     */
    record LabelMatcher(String name, String op, String value) {
    }

    /**
     * @param metric   the series' name
     * @param matchers its label matchers
     */
    record Selector(String metric, List<LabelMatcher> matchers) {
        boolean has(String label, String value) {
            return matchers.stream().anyMatch(m -> m.name().equals(label) && (m.op().equals("=") || m.op().equals("=~"))
                    && m.value().equals(value));
        }
    }

    private IstioMetrics() {
    }

    /**
     * @param query a PromQL query, possibly with Flagger's {@code {{ variable }}}s
     * @return the series selectors it names, in order
     */
    static List<Selector> selectors(String query) {
        String plain = TEMPLATE_VARIABLE.matcher(query).replaceAll("<$1>");
        List<Selector> selectors = new ArrayList<>();
        Matcher s = SELECTOR.matcher(plain);
        while (s.find()) {
            List<LabelMatcher> matchers = new ArrayList<>();
            Matcher m = MATCHER.matcher(s.group(2));
            while (m.find()) {
                matchers.add(new LabelMatcher(m.group(1), m.group(2), m.group(3)));
            }
            selectors.add(new Selector(s.group(1), matchers));
        }
        return selectors;
    }

    /**
     * @param query a PromQL query
     * @return one line per metric or label that Istio does not export, in the selectors and in by/without clauses
     */
    static List<String> unknownNames(String query) {
        List<String> findings = new ArrayList<>();
        boolean buckets = false;
        for (Selector s : selectors(query)) {
            if (!exported(s.metric())) {
                findings.add("metric " + s.metric() + " is not one Istio exports");
            }
            buckets |= s.metric().endsWith("_bucket");
            s.matchers().stream().map(LabelMatcher::name).filter(l -> !LABELS.contains(l))
                    .forEach(l -> findings.add("label " + l + " of " + s.metric() + " is not one Istio's metrics carry"));
        }
        Matcher g = GROUPING.matcher(TEMPLATE_VARIABLE.matcher(query).replaceAll("<$1>"));
        while (g.find()) {
            for (String label : g.group(1).split(",")) {
                String l = label.trim();
                if (!l.isEmpty() && !LABELS.contains(l) && !(buckets && l.equals(BUCKET_BOUND))) {
                    findings.add("grouping label " + l + " is not one Istio's metrics carry");
                }
            }
        }
        return findings;
    }

    private static boolean exported(String metric) {
        return COUNTERS.contains(metric)
                || DISTRIBUTIONS.stream().anyMatch(d -> metric.equals(d + "_bucket") || metric.equals(d + "_sum") || metric.equals(d + "_count"));
    }
}
