package io.example.gateway.cache;

import java.util.Optional;

import io.example.commons.events.EventConsumer;
import io.example.commons.events.EventSettings;
import io.example.commons.events.Subscription;
import io.example.commons.events.Topics;
import io.example.gateway.proxy.Backend;
import io.example.gateway.proxy.BackendAnswer;
import io.example.gateway.proxy.ProxyHandler;

import io.helidon.health.HealthCheck;
import io.helidon.webserver.http.Handler;

/**
 * Product reads through the {@link ProductCache}: clients' reads with the cache's headers
 * ({@link CachedReadHandler}), the gateway's own reads (the overview's stock) from the same entries. The
 * cache follows the product events ({@link ProductChanges}) when a broker is configured, and otherwise
 * serves each entry for its TTL.
 */
public final class CachedProductReads implements ProductReads {
    private final ProductCache cache;
    private final Backend productService;
    private final Optional<EventConsumer> events;
    private final HealthCheck freshness;

    private CachedProductReads(ProductCache cache, Backend productService, Optional<EventConsumer> events) {
        this.cache = cache;
        this.productService = productService;
        this.events = events;
        this.freshness = ProductEventsCheck.following(events, cache.ttl());
    }

    /**
     * @param cache          the cache
     * @param productService the product service, for misses
     * @param settings       where the product events are (events off: the TTL alone bounds staleness)
     * @return the reads, following the product events when a broker is configured
     */
    public static CachedProductReads start(ProductCache cache, Backend productService, EventSettings settings) {
        return new CachedProductReads(cache, productService,
                                      EventConsumer.start(settings, Subscription.everyReplica("gateway", Topics.PRODUCTS),
                                                          new ProductChanges(cache)));
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
    public void productChanged(String id) {
        cache.invalidateProduct(id);
    }

    @Override
    public void listsChanged() {
        cache.invalidateLists();
    }

    @Override
    public void dropAll() {
        cache.invalidateAll();
    }

    @Override
    public HealthCheck freshness() {
        return freshness;
    }

    @Override
    public void close() {
        events.ifPresent(EventConsumer::close);
    }
}
