package io.example.gateway.cache;

import io.example.gateway.proxy.BackendAnswer;
import io.example.gateway.proxy.ProxyHandler;

import io.helidon.health.HealthCheck;
import io.helidon.webserver.http.Handler;

/**
 * How the gateway reads public product data: straight from the product service ({@link DirectProductReads}),
 * or through the product cache ({@link CachedProductReads}), which also follows the product events. Chosen
 * once, in {@code Main}; callers never ask whether the cache is on.
 */
public interface ProductReads extends AutoCloseable {
    /** Every list page: the product list or search, whatever the query. */
    String LIST = "/api/products";
    /** The categories, which a product's creation, change of category or deletion changes. */
    String CATEGORIES = LIST + "/categories";
    /** One product's read is this followed by its id (percent-encoded). */
    String ONE = LIST + "/";

    /**
     * @param route       the route of a public product read, e.g. {@code /api/products/{id}}
     * @param passThrough the handler that forwards such a read to the product service
     * @return the handler for GETs of that route
     */
    Handler reads(String route, ProxyHandler passThrough);

    /**
     * A read the gateway makes itself (not on behalf of a client's request line).
     *
     * @param encodedPathAndQuery path and query, already percent-encoded
     * @return the product service's answer
     */
    BackendAnswer read(String encodedPathAndQuery);

    /**
     * A product was created, changed or deleted, or its stock moved: its own read and every list page must be
     * loaded again.
     *
     * @param id the product's id, decoded
     */
    void productChanged(String id);

    /**
     * A product whose id is not known yet was created: every list page must be loaded again.
     */
    void listsChanged();

    /**
     * A change every product read may show (e.g. stock, after an order) has happened.
     */
    void dropAll();

    /**
     * @return the readiness check {@value ProductEventsCheck#NAME}: always UP (no request needs the broker);
     *         its details say how cached reads learn of product changes
     */
    HealthCheck freshness();

    /**
     * Stop following product events, if it does.
     */
    @Override
    void close();
}
