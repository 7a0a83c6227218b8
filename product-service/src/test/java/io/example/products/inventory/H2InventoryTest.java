package io.example.products.inventory;

import io.example.commons.db.Database;
import io.example.commons.testing.TestDatabases;

import org.junit.jupiter.api.BeforeAll;

class H2InventoryTest extends InventoryContract {
    private static Database database;

    @BeforeAll
    static void start() {
        database = TestDatabases.h2("product-service", Database.SharedSchema.OUTBOX);
    }

    @Override
    Database database() {
        return database;
    }
}
