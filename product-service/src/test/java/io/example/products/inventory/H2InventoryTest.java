package io.example.products.inventory;

import java.nio.file.Files;
import java.util.Map;

import io.example.commons.db.Database;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.BeforeAll;

class H2InventoryTest extends InventoryContract {
    private static Database database;

    @BeforeAll
    static void start() throws Exception {
        String url = "jdbc:h2:file:" + Files.createTempDirectory("inventory").resolve("db") + Database.H2_OPTIONS;
        database = Database.start(Config.just(ConfigSources.create(Map.of("url", url))), "product-service");
    }

    @Override
    Database database() {
        return database;
    }
}
