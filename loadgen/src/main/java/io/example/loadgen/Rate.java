package io.example.loadgen;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * So many requests per second, minute or hour, as written on the command line ({@code 5/s}, {@code 8/min}).
 * The count as written is also the burst a {@link Pacer} allows, like the gateway's buckets.
 */
record Rate(double count, Duration per) {
    private static final Pattern TEXT = Pattern.compile("(\\d+(?:\\.\\d+)?)/(s|min|h)");

    Rate {
        if (!(count > 0)) {
            throw new IllegalArgumentException("a rate must be above zero");
        }
    }

    static Rate parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a rate such as 5/s, 8/min or 100/h");
        }
        Duration per = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "min" -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
        return new Rate(Double.parseDouble(m.group(1)), per);
    }

    double perSecond() {
        return count * 1e9 / per.toNanos();
    }

    /** @return the time between two requests at this rate */
    long intervalNanos() {
        return (long) (per.toNanos() / count);
    }

    int burst() {
        return Math.max(1, (int) count);
    }

    /** @return this rate shared by so many clients */
    Rate dividedAmong(int clients) {
        return new Rate(count / clients, per);
    }

    @Override
    public String toString() {
        String unit = per.equals(Duration.ofSeconds(1)) ? "s" : per.equals(Duration.ofMinutes(1)) ? "min" : "h";
        return (count == Math.rint(count) ? Long.toString((long) count) : Double.toString(count)) + "/" + unit;
    }
}
