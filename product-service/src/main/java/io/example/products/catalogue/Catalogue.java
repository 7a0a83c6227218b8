package io.example.products.catalogue;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

import io.helidon.http.Status;

/**
 * The catalogue's rules: what a product must be, and the answers for missing ones and taken SKUs.
 */
public final class Catalogue {
    private final ProductRepository products;
    private final Clock clock;

    /**
     * @param products repository
     * @param clock    clock
     */
    public Catalogue(ProductRepository products, Clock clock) {
        this.products = products;
        this.clock = clock;
    }

    /**
     * @param query search
     * @return page
     */
    public Page<Product> search(ProductQuery query) {
        return products.search(query);
    }

    /**
     * @return categories, sorted
     */
    public List<String> categories() {
        return products.categories();
    }

    /**
     * @param id product id
     * @return the product, or 404
     */
    public Product get(String id) {
        return products.find(id).orElseThrow(Catalogue::notFound);
    }

    /**
     * @param input new product
     * @return the stored product
     */
    public Product create(ProductInput input) {
        input.validated();
        Instant now = clock.instant();
        Product product = new Product(UUID.randomUUID().toString(), input.sku(), input.name(),
                                      input.description() == null ? "" : input.description(),
                                      input.category().toLowerCase(Locale.ROOT), input.price().setScale(2),
                                      input.currency() == null ? "EUR" : input.currency(), input.stock(), now, now);
        if (!products.insert(product)) {
            throw skuTaken();
        }
        return product;
    }

    /**
     * @param id    product id
     * @param input new values
     * @return the updated product
     */
    public Product replace(String id, ProductInput input) {
        input.validated();
        try {
            return products.update(id, input, clock.instant()).orElseThrow(Catalogue::notFound);
        } catch (ProductRepository.SkuTakenException e) {
            throw skuTaken();
        }
    }

    /**
     * @param id product id
     */
    public void delete(String id) {
        if (!products.delete(id)) {
            throw notFound();
        }
    }

    private static ProblemException notFound() {
        return ProblemException.of(Status.NOT_FOUND_404, "No product with this id.");
    }

    private static ProblemException skuTaken() {
        return new ProblemException(Problem.typed("sku-taken", "SKU already used", Status.CONFLICT_409,
                                                  "Another product already has this SKU."));
    }
}
