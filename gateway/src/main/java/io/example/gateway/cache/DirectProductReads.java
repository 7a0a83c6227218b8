package io.example.gateway.cache;

import io.example.gateway.proxy.Backend;
import io.example.gateway.proxy.BackendAnswer;
import io.example.gateway.proxy.ProxyHandler;

import io.helidon.health.HealthCheck;
import io.helidon.webserver.http.Handler;

/**
 * Product reads with the cache off: every read goes to the product service, and nothing is ever stale.
 */
public final class DirectProductReads implements ProductReads {
    private final Backend productService;

    /**
     * @param productService the product service
     */
    public DirectProductReads(Backend productService) {
        this.productService = productService;
    }

    @Override
    public Handler reads(String route, ProxyHandler passThrough) {
        return passThrough;
    }

    @Override
    public BackendAnswer read(String encodedPathAndQuery) {
        return productService.get(encodedPathAndQuery);
    }

    @Override
    public void productChanged(String id) {
    }

    @Override
    public void listsChanged() {
    }

    @Override
    public void dropAll() {
    }

    // nothing cached, so no product events to follow
    @Override
    public HealthCheck freshness() {
        return ProductEventsCheck.cacheOff();
    }

    @Override
    public void close() {
    }
}
