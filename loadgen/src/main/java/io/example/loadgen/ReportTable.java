package io.example.loadgen;

import java.util.List;
import java.util.Locale;

import io.example.loadgen.TrafficStats.RouteSummary;

/** The table loadgen prints: one row per route with counts per status class and latency percentiles. */
final class ReportTable {
    private static final String ROUTE_COLUMN = "%-34s";
    private static final String NUMBER_COLUMN = " %8s";

    private ReportTable() {
    }

    static String render(String title, List<RouteSummary> rows) {
        StringBuilder table = new StringBuilder(title).append('\n');
        table.append(cell(ROUTE_COLUMN, "route")).append(cell(NUMBER_COLUMN, "count"));
        for (StatusClass statusClass : StatusClass.values()) {
            table.append(cell(NUMBER_COLUMN, statusClass.label()));
        }
        table.append(cell(NUMBER_COLUMN, "p50 ms")).append(cell(NUMBER_COLUMN, "p90 ms"))
                .append(cell(NUMBER_COLUMN, "p99 ms")).append(cell(NUMBER_COLUMN, "max ms")).append('\n');
        long[] totals = new long[StatusClass.values().length];
        long total = 0;
        for (RouteSummary row : rows) {
            table.append(cell(ROUTE_COLUMN, row.route())).append(cell(NUMBER_COLUMN, row.count()));
            for (StatusClass statusClass : StatusClass.values()) {
                long count = row.byClass().get(statusClass);
                totals[statusClass.ordinal()] += count;
                table.append(cell(NUMBER_COLUMN, count));
            }
            table.append(cell(NUMBER_COLUMN, row.p50Millis())).append(cell(NUMBER_COLUMN, row.p90Millis()))
                    .append(cell(NUMBER_COLUMN, row.p99Millis()))
                    .append(cell(NUMBER_COLUMN, String.format(Locale.ROOT, "%.1f", row.maxMillis()))).append('\n');
            total += row.count();
        }
        table.append(cell(ROUTE_COLUMN, "total")).append(cell(NUMBER_COLUMN, total));
        for (long count : totals) {
            table.append(cell(NUMBER_COLUMN, count));
        }
        return table.append('\n').toString();
    }

    private static String cell(String format, Object value) {
        return String.format(Locale.ROOT, format, value);
    }
}
