package io.example.deploy.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one run of verify-cluster.sh left: its exit status, its table, its progress lines, and the calls it made
 * to the recorded tools.
 *
 * @param exitCode the script's exit status
 * @param table    its standard output
 * @param progress its standard error
 * @param calls    one line per call to a recorded tool: the tool's name and its arguments
 */
record Verification(int exitCode, String table, String progress, List<String> calls) {
    private static final Pattern ROW = Pattern.compile("^(\\S+)\\s+(PASS|FAIL|SKIP)\\s+(.*)$", Pattern.MULTILINE);

    /** @return each check's result (PASS, FAIL or SKIP), in the table's order */
    Map<String, String> results() {
        Map<String, String> results = new LinkedHashMap<>();
        Matcher m = ROW.matcher(table);
        while (m.find()) {
            results.put(m.group(1), m.group(2));
        }
        return results;
    }

    /**
     * @param check a check's name
     * @return its row's text after the result: the promise and the reason
     */
    String detail(String check) {
        Matcher m = ROW.matcher(table);
        while (m.find()) {
            if (m.group(1).equals(check)) {
                return m.group(3);
            }
        }
        throw new AssertionError("no row for " + check + " in:\n" + table + "\n" + progress);
    }
}
