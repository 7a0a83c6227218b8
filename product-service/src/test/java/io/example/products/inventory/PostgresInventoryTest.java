package io.example.products.inventory;


import io.example.commons.db.Database;
import io.example.commons.testing.TestDatabases;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresInventoryTest extends InventoryContract {
    private static TestDatabases.Postgres postgres;
    private static Database database;

    @BeforeAll
    static void start() {
        postgres = TestDatabases.postgres();
        database = postgres.database("product-service", 40, Database.SharedSchema.OUTBOX);
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Override
    Database database() {
        return database;
    }
}
