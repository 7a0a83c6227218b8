package io.example.commons.tracing;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a statement span says about its SQL, read from the text alone: the operation (its first word) and the
 * table it works on (the first one after {@code FROM}, {@code INTO} or {@code UPDATE}, as the operation has it),
 * named {@code SELECT products}, or the operation alone when there is no table ({@code SELECT 1}, a subquery).
 *
 * @param operation upper-case first word
 * @param table     the table, unquoted, as written (schema included)
 * @param spanName  {@code OPERATION table} or {@code OPERATION}
 */
record SqlSummary(String operation, Optional<String> table, String spanName) {
    private static final Pattern FIRST_WORD = Pattern.compile("^\\s*([A-Za-z]+)");
    private static final Map<String, String> TABLE_AFTER = Map.of(
            "SELECT", "FROM", "DELETE", "FROM", "INSERT", "INTO", "MERGE", "INTO", "UPDATE", "UPDATE");
    private static final Map<String, Pattern> TABLE = Map.of(
            "FROM", tableAfter("FROM"), "INTO", tableAfter("INTO"), "UPDATE", tableAfter("UPDATE"));

    static SqlSummary of(String sql) {
        Matcher first = FIRST_WORD.matcher(sql);
        if (!first.find()) {
            return new SqlSummary("SQL", Optional.empty(), "SQL");
        }
        String operation = first.group(1).toUpperCase(Locale.ROOT);
        Optional<String> table = Optional.ofNullable(TABLE_AFTER.get(operation))
                .map(keyword -> TABLE.get(keyword).matcher(sql))
                .filter(Matcher::find)
                .map(found -> found.group(1).replace("\"", ""));
        return new SqlSummary(operation, table, table.map(name -> operation + ' ' + name).orElse(operation));
    }

    private static Pattern tableAfter(String keyword) {
        return Pattern.compile("(?i)\\b" + keyword + "\\s+(\"?[A-Za-z_][\\w$]*\"?(?:\\.\"?[A-Za-z_][\\w$]*\"?)?)");
    }
}
