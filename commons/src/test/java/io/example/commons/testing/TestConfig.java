package io.example.commons.testing;

import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Config for a test: the given keys over the module's own {@code application.yaml}, so every default a test
 * does not set is the one that runs.
 */
public final class TestConfig {
    private TestConfig() {
    }

    /**
     * @param overrides keys the test sets (e.g. {@code server.port=0}, {@code db.url})
     * @return the overrides, then the module's application.yaml
     */
    public static Config of(Map<String, String> overrides) {
        return Config.just(ConfigSources.create(overrides), ConfigSources.classpath("application.yaml"));
    }
}
