package io.example.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The metrics a PromQL expression reads, with the label names it matches on, and the label names it groups or
 * joins by: enough to check that every name in the rules and dashboards exists, without a PromQL engine.
 * Grafana's variables ({@code $__rate_interval}, {@code ${datasource}}, {@code $app}) are skipped.
 *
 * @param selectors the metrics read, in order
 * @param grouping  the labels of {@code by}, {@code without}, {@code on}, {@code ignoring} and {@code group_*}
 */
record PromQlSelectors(List<Selector> selectors, Set<String> grouping) {
    /**
     * @param metric a metric name
     * @param labels the label names its matchers name
     */
    record Selector(String metric, Set<String> labels) {
    }

    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");
    // may be followed by their by/without clause rather than by "("
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
                                                           "count", "count_values", "bottomk", "topk", "quantile");

    static PromQlSelectors of(String expr) {
        List<Selector> selectors = new ArrayList<>();
        Set<String> grouping = new LinkedHashSet<>();
        int i = 0;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = afterString(expr, i);
            } else if (c == '[') {
                i = expr.indexOf(']', i) + 1;
            } else if (c == '$') {
                i = afterVariable(expr, i);
            } else if (c == '{') {
                // a selector without a name, e.g. {__name__=~"..."}: its labels, no metric to check
                i = labels(expr, i, new LinkedHashSet<>());
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int end = identifierEnd(expr, i);
                String word = expr.substring(i, end);
                int next = skipSpace(expr, end);
                if (GROUPING.contains(word)) {
                    i = next < expr.length() && expr.charAt(next) == '(' ? labelList(expr, next, grouping) : next;
                } else if (KEYWORDS.contains(word.toLowerCase()) || AGGREGATIONS.contains(word)) {
                    i = end;
                } else if (next < expr.length() && expr.charAt(next) == '(') {
                    i = next; // a function or an aggregation
                } else {
                    Set<String> labels = new LinkedHashSet<>();
                    i = next < expr.length() && expr.charAt(next) == '{' ? labels(expr, next, labels) : end;
                    selectors.add(new Selector(word, labels));
                }
            } else if (Character.isDigit(c) || c == '.') {
                // a number or a duration (5m, 1h30m)
                while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++;
                }
            } else {
                i++;
            }
        }
        return new PromQlSelectors(List.copyOf(selectors), Set.copyOf(grouping));
    }

    // {name op "value", ...}
    private static int labels(String expr, int open, Set<String> labels) {
        int i = open + 1;
        while (true) {
            i = skipSpace(expr, i);
            char c = expr.charAt(i);
            if (c == '}') {
                return i + 1;
            }
            if (c == ',') {
                i++;
                continue;
            }
            int end = identifierEnd(expr, i);
            labels.add(expr.substring(i, end));
            int quote = end;
            while (expr.charAt(quote) != '"' && expr.charAt(quote) != '\'' && expr.charAt(quote) != '`') {
                quote++;
            }
            i = afterString(expr, quote);
        }
    }

    // (label, label)
    private static int labelList(String expr, int open, Set<String> labels) {
        int close = expr.indexOf(')', open);
        for (String label : expr.substring(open + 1, close).split(",")) {
            if (!label.isBlank()) {
                labels.add(label.strip());
            }
        }
        return close + 1;
    }

    private static int afterString(String expr, int open) {
        char quote = expr.charAt(open);
        int i = open + 1;
        while (expr.charAt(i) != quote) {
            i += expr.charAt(i) == '\\' && quote != '`' ? 2 : 1;
        }
        return i + 1;
    }

    // $name or ${name} or ${name:format}
    private static int afterVariable(String expr, int dollar) {
        if (dollar + 1 < expr.length() && expr.charAt(dollar + 1) == '{') {
            return expr.indexOf('}', dollar) + 1;
        }
        return identifierEnd(expr, dollar + 1);
    }

    private static int identifierEnd(String expr, int start) {
        int i = start;
        while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_'
                || expr.charAt(i) == ':')) {
            i++;
        }
        return i;
    }

    private static int skipSpace(String expr, int start) {
        int i = start;
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
        return i;
    }
}
