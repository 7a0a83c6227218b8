package io.example.products;

import java.util.List;
import java.util.Map;

import io.example.commons.db.Database;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;

import io.helidon.config.Config;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A canary setting with a value that is not valid stops the service from starting, with the reason; it is
 * never read as a default. (Started by hand: what is tested is that no server comes up.)
 */
class BadSettingsTest {
    @ParameterizedTest
    @CsvSource({
            "product.availability, yes, PRODUCT_AVAILABILITY",
            "product.low.stock.threshold, -1, PRODUCT_LOW_STOCK_THRESHOLD",
            "release.fault.error.percent, 30%, RELEASE_FAULT_ERROR_PERCENT",
            "release.fault.delay, 600ms, RELEASE_FAULT_DELAY"})
    void theServiceDoesNotStart(String key, String value, String variable) {
        Config config = TestConfig.of(Map.of("server.port", "0", "db.url", TestDatabases.h2Url(),
                                             "auth.service.url", "http://localhost:9", key, value));
        Database database = Main.database(config);

        assertThatThrownBy(() -> ServiceServer.start(config, routing -> Main.routing(routing, config, database),
                                                     List.of(database.readiness())).stop())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(variable + " (" + key + ") must be")
                .hasMessageEndingWith("not '" + value + "'");
    }
}
