package io.example.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The command line: {@code --name value} pairs over the defaults below. */
record LoadOptions(URI base, Duration duration, int users, Rate spawnRate, Rate rate, Rate loginRate, Rate anonymousRate,
                   Duration refreshEvery, int openOrders, Duration reportEvery, Optional<Path> perSecond, FailOn failOn) {

    /** Every option with its default and meaning, in the order the usage lists them. */
    private static final Map<String, String[]> OPTIONS = new LinkedHashMap<>();
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)|0");

    static {
        OPTIONS.put("base", new String[] {"", "the gateway or the ingress, e.g. http://localhost:8080 (required)"});
        OPTIONS.put("duration", new String[] {"60s", "how long to run (ms, s, m, h); 0 runs until stopped (SIGTERM, Ctrl-C)"});
        OPTIONS.put("users", new String[] {"5", "virtual users: each registers, logs in once, then shops"});
        // sign-ups and logins hash a password (Argon2id, deliberately slow): spread them
        OPTIONS.put("spawn-rate", new String[] {"1/s", "users start at this rate, each with a sign-up and a login"});
        OPTIONS.put("rate", new String[] {"5/s", "requests of all users together (per s, min or h); each user gets an equal share"});
        // below the gateway's default LOGIN_RATE_LIMIT_PER_MINUTE (10): room for jitter and for other
        // clients behind the same address (a port-forward makes everything one address)
        OPTIONS.put("login-rate", new String[] {"8/min", "logins from this client address; keep it under the gateway's LOGIN_RATE_LIMIT_PER_MINUTE"});
        // well below the gateway's default RATE_LIMIT_PER_SECOND (50): every anonymous call of this process
        // is one client to the gateway
        OPTIONS.put("anonymous-rate", new String[] {"20/s", "calls without a token (register, refresh); keep it under RATE_LIMIT_PER_SECOND"});
        OPTIONS.put("refresh-every", new String[] {"30s", "refresh each user's token this often (sooner if it would expire)"});
        OPTIONS.put("open-orders", new String[] {"3", "orders a user keeps; beyond that it cancels its oldest instead of ordering, so stock lasts"});
        OPTIONS.put("report-every", new String[] {"10s", "print the table this often (and at the end)"});
        OPTIONS.put("per-second", new String[] {"", "also write each second's calls and latency percentiles to this CSV file (bench/Charts.java draws it)"});
        OPTIONS.put("fail-on", new String[] {"5xx,error", "exit 1 if any answer has one of these statuses (401), classes (5xx) or no answer came (error)"});
    }

    static LoadOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        OPTIONS.forEach((name, option) -> values.put(name, option[0]));
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!OPTIONS.containsKey(name)) {
                throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            values.put(name, args[i + 1]);
        }
        if (values.get("base").isEmpty()) {
            throw new IllegalArgumentException("--base is required");
        }
        LoadOptions options = new LoadOptions(
                base(values.get("base")),
                duration("duration", values.get("duration")),
                positive("users", values.get("users")),
                Rate.parse(values.get("spawn-rate")),
                Rate.parse(values.get("rate")),
                Rate.parse(values.get("login-rate")),
                Rate.parse(values.get("anonymous-rate")),
                duration("refresh-every", values.get("refresh-every")),
                positive("open-orders", values.get("open-orders")),
                duration("report-every", values.get("report-every")),
                values.get("per-second").isEmpty() ? Optional.empty() : Optional.of(Path.of(values.get("per-second"))),
                FailOn.parse(values.get("fail-on")));
        if (options.refreshEvery.isZero() || options.reportEvery.isZero()) {
            throw new IllegalArgumentException("--refresh-every and --report-every must be above zero");
        }
        return options;
    }

    static String usage() {
        StringBuilder usage = new StringBuilder("usage: java -jar loadgen.jar --base URL [options]\n");
        OPTIONS.forEach((name, option) -> usage.append(String.format("  --%-15s %s%s%n", name, option[1],
                option[0].isEmpty() ? "" : " [" + option[0] + "]")));
        return usage.toString();
    }

    /** @return each user's share of the rate */
    Rate userRate() {
        return rate.dividedAmong(users);
    }

    boolean runsUntilStopped() {
        return duration.isZero();
    }

    private static URI base(String text) {
        URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--base must be an http(s) URL, not '" + text + "'");
        }
        return uri;
    }

    private static Duration duration(String name, String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("--" + name + " takes a duration such as 500ms, 60s, 5m or 1h, not '" + text + "'");
        }
        if (m.group(1) == null) {
            return Duration.ZERO;
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static int positive(String name, String text) {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " takes a whole number above zero, not '" + text + "'");
    }
}
