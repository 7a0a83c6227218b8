package io.example.gateway.cache;

import java.util.Set;

import io.example.gateway.proxy.Backend;
import io.example.gateway.proxy.BackendAnswer;
import io.example.gateway.proxy.ProxyHandler;

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
    public void drop(Set<String> paths) {
    }

    @Override
    public void dropAll() {
    }
}
