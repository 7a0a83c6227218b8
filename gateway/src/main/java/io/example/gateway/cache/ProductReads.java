package io.example.gateway.cache;

import java.util.Set;

import io.example.gateway.proxy.BackendAnswer;
import io.example.gateway.proxy.ProxyHandler;

import io.helidon.webserver.http.Handler;

/**
 * How the gateway reads public product data: straight from the product service ({@link DirectProductReads}),
 * or through the product cache ({@link CachedProductReads}). Chosen once, in {@code Main}; callers never ask
 * whether the cache is on.
 */
public interface ProductReads {
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
     * A write has made these paths stale: their reads, whatever the query, must be loaded again.
     *
     * @param paths paths without query
     */
    void drop(Set<String> paths);

    /**
     * A change every product read may show (e.g. stock, after an order) has happened.
     */
    void dropAll();
}
