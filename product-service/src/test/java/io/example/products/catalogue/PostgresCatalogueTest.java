package io.example.products.catalogue;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.example.commons.db.Database;
import io.example.commons.events.Outbox;
import io.example.commons.testing.TestDatabases;

import io.helidon.common.parameters.Parameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalogue's SQL (search, categories, writes) and the demo data migration on a real PostgreSQL.
 */
class PostgresCatalogueTest {
    private static TestDatabases.Postgres postgres;
    private static Catalogue catalogue;

    @BeforeAll
    static void start() {
        postgres = TestDatabases.postgres();
        Database database = postgres.database("product-service", 10, Database.SharedSchema.OUTBOX);
        catalogue = new Catalogue(new ProductRepository(database.client(), new Outbox(Clock.systemUTC())), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void searchFiltersSortsAndCountsInSql() {
        Page<Product> page = catalogue.search(ProductQuery.from(Parameters.create("query", Map.of(
                "q", List.of("java"), "sort", List.of("price"), "limit", List.of("1")))));

        assertThat(page.total()).isEqualTo(2);
        assertThat(page.items()).singleElement().satisfies(p -> assertThat(p.name()).isEqualTo("Java Concurrency in Practice"));
    }

    @Test
    void priceRangeAndStockFilters() {
        Page<Product> page = catalogue.search(ProductQuery.from(Parameters.create("query", Map.of(
                "minPrice", List.of("100"), "maxPrice", List.of("200"),
                "inStock", List.of("true"), "limit", List.of("100")))));

        assertThat(page.items()).isNotEmpty().allSatisfy(p -> {
            assertThat(p.price()).isBetween(new BigDecimal("100"), new BigDecimal("200"));
            assertThat(p.stock()).isPositive();
        });
    }

    @Test
    void likeWildcardsInTheQueryAreLiteral() {
        Page<Product> page = catalogue.search(ProductQuery.from(Parameters.create("query", Map.of("q", List.of("_")))));

        assertThat(page.total()).isZero();
    }

    @Test
    void createAndCategories() {
        Product created = catalogue.create(new ProductInput("PG-1", "Pg thing", null, "Garden", new BigDecimal("1.5"), null, 3));

        assertThat(catalogue.get(created.id()).price()).isEqualByComparingTo("1.50");
        assertThat(catalogue.categories()).contains("garden", "books", "toys");
    }
}
