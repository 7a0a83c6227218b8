package io.example.commons.db;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JDBC URLs a service accepts, and the H2 settings it needs.
 *
 * <p>A PostgreSQL URL is used as given. An H2 URL gets every setting of {@link #H2_SETTINGS} and
 * {@link #H2_DEFAULTS} it does not name, so {@code DB_URL=jdbc:h2:file:/data/db} works as well as the default;
 * one that names a required setting with another value, an in-memory H2 database, and any other database are
 * refused with a message saying why.
 */
public final class DatabaseUrl {
    /**
     * What our SQL and our durability promise need from H2, each with its reason.
     */
    public static final List<Setting> H2_SETTINGS = List.of(
            new Setting("MODE", "PostgreSQL", "the SQL is written for PostgreSQL"),
            new Setting("DATABASE_TO_LOWER", "TRUE", "the code reads columns by their lower-case names"),
            new Setting("DEFAULT_NULL_ORDERING", "HIGH", "sorting must match PostgreSQL"),
            new Setting("LOCK_TIMEOUT", "10000",
                        "concurrent conditional updates of one row must wait for each other, not fail after 1 s"),
            // H2 writes committed changes to its file up to WRITE_DELAY ms (default 500) after the commit
            // returns: a process killed in that window loses writes that were already acknowledged
            new Setting("WRITE_DELAY", "0", "a commit must be in the file before it is acknowledged"),
            // H2 closes the database from a shutdown hook of its own, which runs beside the web server's: on SIGTERM
            // (Ctrl-C, Kubernetes stopping a pod) the requests still in flight found it closed and failed with 500s.
            // Left open, they finish; every commit is in the file already, so nothing needs a clean close
            new Setting("DB_CLOSE_ON_EXIT", "FALSE",
                        "requests in flight when the service is stopped must finish on an open database"));

    /**
     * Settings the services run faster with, each with its reason; a URL may name another value.
     */
    public static final List<Setting> H2_DEFAULTS = List.of(
            // H2 keeps 8 parsed statements per connection: a service runs more than 8 distinct ones, so without
            // this most statements were parsed again on every call (8% of order-service's CPU placing orders)
            new Setting("QUERY_CACHE_SIZE", "64", "each connection keeps every statement the service runs parsed"),
            // H2 caches 16 MiB of pages by default, a quarter of a service's 64 MiB heap (jvm.options). A write
            // replaces every page it touches (copy-on-write), and with that much cache the new pages stayed cached
            // long enough to be promoted to the old generation, where the next writes made them garbage: a full
            // collection every 1-2 s while orders were placed. With 4 MiB most replaced pages die young
            new Setting("CACHE_SIZE", "4096", "a 4 MiB page cache (in KiB): the pages writes replace die young"));

    /**
     * One H2 setting the services need.
     *
     * @param name   setting name, upper case
     * @param value  required value
     * @param reason why, for the message that refuses another value
     */
    public record Setting(String name, String value, String reason) {
    }

    private DatabaseUrl() {
    }

    /**
     * @param url the configured JDBC URL
     * @return the URL to use: PostgreSQL as given, H2 with every required setting
     * @throws IllegalArgumentException for a URL the services cannot run on safely, saying why
     */
    public static String checked(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return url;
        }
        if (!isH2(url)) {
            // only the scheme: the rest may hold credentials
            Matcher scheme = Pattern.compile("^jdbc:[a-z0-9]+:").matcher(lower);
            throw new IllegalArgumentException("DB_URL must be a jdbc:postgresql: or a jdbc:h2: URL, not "
                                                       + (scheme.find() ? "a " + scheme.group() + " one" : "this one"));
        }
        if (lower.startsWith("jdbc:h2:mem:")) {
            throw new IllegalArgumentException("DB_URL names an in-memory H2 database: every write would be lost when"
                                                       + " the process stops; use a file (jdbc:h2:file:...)");
        }
        String[] parts = url.split(";");
        StringBuilder checked = new StringBuilder(url);
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                given.put(parts[i].substring(0, eq).trim().toUpperCase(Locale.ROOT), parts[i].substring(eq + 1).trim());
            }
        }
        for (Setting setting : H2_SETTINGS) {
            String value = given.get(setting.name());
            if (value == null) {
                checked.append(';').append(setting.name()).append('=').append(setting.value());
            } else if (!value.equalsIgnoreCase(setting.value())) {
                throw new IllegalArgumentException("DB_URL sets " + setting.name() + "=" + value + ", but the service needs "
                                                           + setting.name() + "=" + setting.value() + ": "
                                                           + setting.reason()
                                                           + " (leave it out of the URL and it is set for you)");
            }
        }
        for (Setting setting : H2_DEFAULTS) {
            if (!given.containsKey(setting.name())) {
                checked.append(';').append(setting.name()).append('=').append(setting.value());
            }
        }
        return checked.toString();
    }

    /**
     * @param url a JDBC URL
     * @return whether it names an H2 database
     */
    static boolean isH2(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:");
    }

    /**
     * @param url an H2 URL
     * @return the directory its database file is in, when that is on this machine's plain file system (not for
     *         {@code tcp:}, {@code ssl:} or another of H2's file systems, such as {@code nio:})
     */
    static Optional<Path> h2Directory(String url) {
        String file = url.substring("jdbc:h2:".length()).split(";", 2)[0];
        if (file.regionMatches(true, 0, "file:", 0, "file:".length())) {
            file = file.substring("file:".length());
        } else if (file.matches("(?s)[A-Za-z]{2,}:.*")) {
            return Optional.empty();
        }
        if (file.startsWith("~")) {
            file = System.getProperty("user.home") + file.substring(1);
        }
        return Optional.ofNullable(Path.of(file).getParent());
    }

    /**
     * @return every H2 setting a service adds, required and default, as URL options: {@code ;MODE=PostgreSQL;...}
     */
    public static String h2Options() {
        return Stream.concat(H2_SETTINGS.stream(), H2_DEFAULTS.stream())
                .map(s -> ";" + s.name() + "=" + s.value())
                .collect(Collectors.joining());
    }
}
