package io.example.products.catalogue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import io.example.commons.events.Outbox;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;

/**
 * Products in the product service's database. All filtering, ordering and paging happens in SQL with
 * bound parameters; the ORDER BY comes from a fixed table of sort keys. Each change records its
 * {@link ProductEvents event} in the outbox in the same transaction.
 */
public final class ProductRepository {
    static final String COLUMNS = "id, sku, name, description, category, price, currency, stock, created_at, updated_at";

    private final DbClient db;
    private final Outbox outbox;

    /**
     * @param db     database client
     * @param outbox where the changes' events are recorded
     */
    public ProductRepository(DbClient db, Outbox outbox) {
        this.db = db;
        this.outbox = outbox;
    }

    /**
     * @param query filters, order and page
     * @return the page and the total number of matches
     */
    public Page<Product> search(ProductQuery query) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (query.q() != null) {
            String pattern = "%" + escapeLike(query.q().toLowerCase(Locale.ROOT)) + "%";
            where.append(" AND (LOWER(name) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(description, '')) LIKE ? ESCAPE '\\')");
            params.add(pattern);
            params.add(pattern);
        }
        if (query.category() != null) {
            where.append(" AND category = ?");
            params.add(query.category().toLowerCase(Locale.ROOT));
        }
        if (query.minPrice() != null) {
            where.append(" AND price >= ?");
            params.add(query.minPrice());
        }
        if (query.maxPrice() != null) {
            where.append(" AND price <= ?");
            params.add(query.maxPrice());
        }
        if (query.inStock() != null) {
            where.append(query.inStock() ? " AND stock > 0" : " AND stock = 0");
        }
        long total = db.execute().get("SELECT COUNT(*) AS total FROM products" + where, params.toArray())
                .map(row -> row.column("total").get(Long.class))
                .orElse(0L);
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(query.limit());
        pageParams.add(query.offset());
        List<Product> items = db.execute()
                .query("SELECT " + COLUMNS + " FROM products" + where + " ORDER BY " + ProductQuery.SORTS.get(query.sort())
                               + " LIMIT ? OFFSET ?", pageParams.toArray())
                .map(ProductRepository::product)
                .toList();
        return new Page<>(items, total, query.limit(), query.offset());
    }

    /**
     * @param id product id
     * @return the product
     */
    public Optional<Product> find(String id) {
        return db.execute().get("SELECT " + COLUMNS + " FROM products WHERE id = ?", id).map(ProductRepository::product);
    }

    /**
     * @return the categories that have products, sorted
     */
    public List<String> categories() {
        return db.execute().query("SELECT DISTINCT category FROM products ORDER BY category")
                .map(row -> row.column("category").get(String.class))
                .toList();
    }

    /**
     * @param product new product
     * @return false when the SKU is taken
     */
    public boolean insert(Product product) {
        try {
            return inTransaction(tx -> {
                tx.dml("INSERT INTO products (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       product.id(), product.sku(), product.name(), product.description(), product.category(),
                       product.price(), product.currency(), product.stock(),
                       product.createdAt().toEpochMilli(), product.updatedAt().toEpochMilli());
                outbox.append(tx, ProductEvents.created(product));
                return true;
            });
        } catch (RuntimeException e) {
            if (skuTakenByAnother(product.sku(), product.id())) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Replace a product's fields.
     *
     * @param id    product id
     * @param input new values (validated)
     * @param now   time of change
     * @return empty when there is no such product
     * @throws SkuTakenException when another product has the SKU
     */
    public Optional<Product> update(String id, ProductInput input, Instant now) {
        try {
            return inTransaction(tx -> {
                long updated = tx.dml("UPDATE products SET sku = ?, name = ?, description = ?, category = ?, price = ?,"
                                              + " currency = ?, stock = ?, updated_at = ? WHERE id = ?",
                                      input.sku(), input.name(), input.description() == null ? "" : input.description(),
                                      input.category().toLowerCase(Locale.ROOT), input.price(),
                                      input.currency() == null ? "EUR" : input.currency(), input.stock(),
                                      now.toEpochMilli(), id);
                if (updated != 1) {
                    return Optional.<Product>empty();
                }
                Product product = tx.get("SELECT " + COLUMNS + " FROM products WHERE id = ?", id)
                        .map(ProductRepository::product).orElseThrow();
                outbox.append(tx, ProductEvents.updated(product));
                return Optional.of(product);
            });
        } catch (RuntimeException e) {
            if (skuTakenByAnother(input.sku(), id)) {
                throw new SkuTakenException();
            }
            throw e;
        }
    }

    /**
     * @param id product id
     * @return whether it existed
     */
    public boolean delete(String id) {
        return inTransaction(tx -> {
            if (tx.dml("DELETE FROM products WHERE id = ?", id) != 1) {
                return false;
            }
            outbox.append(tx, ProductEvents.deleted(id));
            return true;
        });
    }

    /** Another product already has the SKU. */
    public static final class SkuTakenException extends RuntimeException {
        SkuTakenException() {
            super(null, null, false, false);
        }
    }

    // commits what work did, or rolls it all back when it throws
    private <T> T inTransaction(Function<DbTransaction, T> work) {
        DbTransaction tx = db.transaction();
        try {
            T result = work.apply(tx);
            tx.commit();
            return result;
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
    }

    private boolean skuTakenByAnother(String sku, String id) {
        return db.execute().get("SELECT id FROM products WHERE sku = ? AND id <> ?", sku, id).isPresent();
    }

    static Product product(DbRow row) {
        return new Product(row.column("id").get(String.class),
                           row.column("sku").get(String.class),
                           row.column("name").get(String.class),
                           row.column("description").get(String.class),
                           row.column("category").get(String.class),
                           row.column("price").get(BigDecimal.class).setScale(2),
                           row.column("currency").get(String.class),
                           row.column("stock").get(Integer.class),
                           Instant.ofEpochMilli(row.column("created_at").get(Long.class)),
                           Instant.ofEpochMilli(row.column("updated_at").get(Long.class)));
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
