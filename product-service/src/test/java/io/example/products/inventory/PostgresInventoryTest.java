package io.example.products.inventory;

import java.util.Map;

import io.example.commons.db.Database;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresInventoryTest extends InventoryContract {
    private static EmbeddedPostgres postgres;
    private static Database database;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.start();
        database = Database.start(Config.just(ConfigSources.create(Map.of(
                "url", postgres.getJdbcUrl("postgres", "postgres"), "user", "postgres", "password", "postgres",
                "pool-size", "40"))), "product-service");
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Override
    Database database() {
        return database;
    }
}
