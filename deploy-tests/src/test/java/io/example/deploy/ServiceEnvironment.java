package io.example.deploy;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A config key as a service reads it from its container's environment. Helidon's environment source (4.4 and
 * later) looks a key up under these names, the first one set wins: the key itself; every character but letters,
 * digits and {@code _} written as {@code _}; upper case with each {@code -} as {@code _dash_}; the same with
 * {@code _DASH_}; the second form in upper case. So {@code db.pool-size} is {@code DB_POOL_DASH_SIZE} (the
 * manifests' spelling) or {@code DB_POOL_SIZE}, and {@code DB_POOLSIZE} is nothing a service reads.
 */
final class ServiceEnvironment {
    private ServiceEnvironment() {
    }

    /**
     * @param environment a container's environment ({@link Manifest#environment})
     * @param key         a config key, e.g. {@code db.pool-size}
     * @return the value the service reads for it from that environment
     */
    static Optional<String> value(Map<String, String> environment, String key) {
        String underscored = key.replaceAll("[^A-Za-z0-9_]", "_");
        String dashed = key.replaceAll("[^A-Za-z0-9_-]", "_").toUpperCase(Locale.ROOT);
        return Stream.of(key, underscored, dashed.replace("-", "_dash_"), dashed.replace("-", "_DASH_"),
                         underscored.toUpperCase(Locale.ROOT))
                .map(environment::get)
                .filter(Objects::nonNull)
                .findFirst();
    }
}
