package io.example.products;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import io.helidon.config.Config;

/**
 * The product service's own switches, read strictly: a value that is not one of those allowed stops the start
 * with a message naming the environment variable and the config key, instead of quietly meaning something
 * else (Helidon reads {@code yes} or {@code ture} as false for a boolean, and a demo of a bad release must not
 * become a good one by a typo). Defaults are in application.yaml.
 */
public final class StrictSettings {
    private StrictSettings() {
    }

    /**
     * @param node a key holding {@code true} or {@code false}
     * @return its value
     * @throws IllegalArgumentException for anything else
     */
    public static boolean flag(Config node) {
        String value = text(node);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(node, "true or false", value);
        };
    }

    /**
     * @param node a key holding a whole number
     * @param min  least value allowed
     * @param max  greatest value allowed
     * @return its value
     * @throws IllegalArgumentException for anything else, or a number outside the range
     */
    public static int whole(Config node, int min, int max) {
        String value = text(node);
        String rule = "a whole number from " + min + " to " + max;
        try {
            int number = Integer.parseInt(value);
            if (number < min || number > max) {
                throw invalid(node, rule, value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw invalid(node, rule, value);
        }
    }

    /**
     * @param node a key holding an ISO-8601 duration ({@code PT0.6S})
     * @param max  the longest allowed
     * @return its value, zero or positive
     * @throws IllegalArgumentException for anything else, a negative duration or one over {@code max}
     */
    public static Duration duration(Config node, Duration max) {
        String value = text(node);
        String rule = "an ISO-8601 duration from PT0S to " + max + " (e.g. PT0.6S)";
        try {
            Duration duration = Duration.parse(value);
            if (duration.isNegative() || duration.compareTo(max) > 0) {
                throw invalid(node, rule, value);
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw invalid(node, rule, value);
        }
    }

    /**
     * @param key a config key
     * @return the environment variable that sets it in Helidon's mapping ({@code release.fault.delay} ->
     *         {@code RELEASE_FAULT_DELAY}, {@code db.pool-size} -> {@code DB_POOL_DASH_SIZE})
     */
    static String environmentVariable(Config.Key key) {
        return key.toString().toUpperCase(Locale.ROOT).replace("-", "_DASH_").replace('.', '_');
    }

    private static String text(Config node) {
        return node.asString().get().trim();
    }

    private static IllegalArgumentException invalid(Config node, String rule, String value) {
        return new IllegalArgumentException(environmentVariable(node.key()) + " (" + node.key() + ") must be " + rule
                                                    + ", not '" + value + "'");
    }
}
