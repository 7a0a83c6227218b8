package io.example.gateway.cache;

import java.util.Set;

import io.example.gateway.proxy.Backend;
import io.example.gateway.proxy.BackendAnswer;
import io.example.gateway.proxy.ProxyHandler;

import io.helidon.webserver.http.Handler;

/**
 * Product reads through the {@link ProductCache}: clients' reads with the cache's headers
 * ({@link CachedReadHandler}), the gateway's own reads from the same entries.
 */
public final class CachedProductReads implements ProductReads {
    private final ProductCache cache;
    private final Backend productService;

    /**
     * @param cache          the cache
     * @param productService the product service, for misses
     */
    public CachedProductReads(ProductCache cache, Backend productService) {
        this.cache = cache;
        this.productService = productService;
    }

    @Override
    public Handler reads(String route, ProxyHandler passThrough) {
        return new CachedReadHandler(cache, passThrough, route);
    }

    @Override
    public BackendAnswer read(String encodedPathAndQuery) {
        return cache.get(encodedPathAndQuery, () -> productService.get(encodedPathAndQuery)).entry().answer();
    }

    @Override
    public void drop(Set<String> paths) {
        cache.invalidate(paths);
    }

    @Override
    public void dropAll() {
        cache.invalidateAll();
    }
}
