package io.example.loadgen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What makes a run fail (a non-zero exit): answers with a status ({@code 401}), a class of statuses
 * ({@code 5xx}, which includes every 5xx status) or calls without an answer ({@code error}).
 */
record FailOn(List<String> entries) {
    private static final Pattern ENTRY = Pattern.compile("[1-5](xx|\\d\\d)|error");

    static FailOn parse(String text) {
        List<String> entries = Arrays.stream(text.split(",")).map(String::trim).toList();
        for (String entry : entries) {
            if (!ENTRY.matcher(entry).matches()) {
                throw new IllegalArgumentException("--fail-on takes statuses (401), classes (5xx) and 'error', not '" + entry + "'");
            }
        }
        return new FailOn(entries);
    }

    /**
     * @param stats the run's counts
     * @return one line per entry that was seen, with how often; empty when the run passes
     */
    List<String> violations(TrafficStats stats) {
        List<String> violations = new ArrayList<>();
        for (String entry : entries) {
            long seen = seen(entry, stats);
            if (seen > 0) {
                violations.add(entry + ": " + seen);
            }
        }
        return violations;
    }

    private static long seen(String entry, TrafficStats stats) {
        if (entry.equals("error")) {
            return stats.inClass(StatusClass.NO_ANSWER);
        }
        if (entry.endsWith("xx")) {
            int hundred = (entry.charAt(0) - '0') * 100;
            long seen = 0;
            for (int status = hundred; status < hundred + 100; status++) {
                seen += stats.withStatus(status);
            }
            return seen;
        }
        return stats.withStatus(Integer.parseInt(entry));
    }
}
