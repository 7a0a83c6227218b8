package io.example.commons.http;

import java.util.Locale;

/**
 * Media type names and the test for "is this JSON".
 */
public final class MediaTypes {
    /** RFC 9457 problem documents. */
    public static final String PROBLEM_JSON = "application/problem+json";

    private MediaTypes() {
    }

    /**
     * Whether a {@code Content-Type} value denotes JSON: {@code application/json} or any {@code +json}
     * suffix, with or without parameters such as {@code charset}.
     *
     * @param contentType header value, may be empty
     * @return true for JSON
     */
    public static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}
