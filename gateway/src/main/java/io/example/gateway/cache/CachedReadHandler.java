package io.example.gateway.cache;

import java.util.List;

import io.example.commons.http.JsonEntities;
import io.example.gateway.proxy.BackendAnswer;
import io.example.gateway.proxy.ProxyHandler;
import io.example.gateway.proxy.RequestTarget;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A public product read served from the {@link ProductCache}: {@code X-Cache: HIT|MISS}, a strong
 * {@code ETag}, {@code Cache-Control: public, max-age=<ttl>} with {@code Age} on hits, and 304 to a matching
 * {@code If-None-Match} whether the answer was cached or just loaded. Each read through the cache counts in
 * {@code gateway_cache_requests_total{route,result="hit"|"miss"}}. A read with {@value #CANARY_HEADER} passes
 * the cache by.
 */
final class CachedReadHandler implements Handler {
    /**
     * The header a tester sends to be routed to a canary release (docs/canary.md), whatever its value. The mesh
     * routes on it, so the answer depends on it, while the cache's key does not: such a read neither takes an
     * entry (possibly the stable version's) nor leaves one (the canary's, which everyone else would then get).
     * Passed by rather than made part of the key: testers are few, and a key per value would let any client
     * split the cache, and fill its byte budget, with made-up values.
     */
    static final String CANARY_HEADER = "x-canary";
    private static final HeaderName CANARY = HeaderNames.create(CANARY_HEADER);
    // a shared cache in front of the gateway must keep the two apart as well
    private static final Header VARY_CANARY = HeaderValues.createCached(HeaderNames.VARY, CANARY_HEADER);

    private final ProductCache cache;
    private final ProxyHandler products;
    private final String routeLabel;
    private final Counter hits;
    private final Counter misses;

    CachedReadHandler(ProductCache cache, ProxyHandler products, String routeLabel) {
        this.cache = cache;
        this.products = products;
        this.routeLabel = routeLabel;
        this.hits = lookups(routeLabel, "hit");
        this.misses = lookups(routeLabel, "miss");
    }

    private static Counter lookups(String route, String result) {
        return Metrics.globalRegistry().getOrCreate(
                Counter.builder("gateway.cache.requests").description("Product reads served from the cache or loaded")
                        .tags(List.of(Tag.create("route", route), Tag.create("result", result))));
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        if (req.headers().contains(CANARY)) {
            products.handle(req, res);
            return;
        }
        ProxyHandler.label(req, routeLabel);
        // an entry is JSON, whoever asked for it first: a client that accepts no JSON gets the 406 the product
        // service would send, and no read reaches it for that
        JsonEntities.requireJsonAccepted(req.headers());
        RequestTarget target = RequestTarget.of(req);
        // the key is what the product service would receive: no two different requests share an entry
        ProductCache.Lookup lookup = cache.get(target.toString(), () -> products.fetch(req, target));
        send(lookup, req, res);
    }

    private void send(ProductCache.Lookup lookup, ServerRequest req, ServerResponse res) {
        ProductCache.Entry entry = lookup.entry();
        BackendAnswer answer = entry.answer();
        res.header("X-Cache", lookup.hit() ? "HIT" : "MISS");
        res.header(VARY_CANARY);
        (lookup.hit() ? hits : misses).increment();
        if (answer.status() == Status.OK_200.code()) {
            res.header(HeaderNames.ETAG, entry.etag());
            res.header(HeaderNames.CACHE_CONTROL, "public, max-age=" + cache.ttl().toSeconds());
            if (lookup.hit()) {
                res.header(HeaderNames.AGE, Long.toString(entry.ageSeconds()));
            }
            boolean notModified = req.headers().first(HeaderNames.IF_NONE_MATCH)
                    .map(tags -> ProductCache.matches(tags, entry.etag()))
                    .orElse(false);
            if (notModified) {
                res.status(Status.NOT_MODIFIED_304);
                res.send();
                return;
            }
        }
        // a 5xx here is the backend's own problem+json: ProxyHandler.fetch replaces any other 5xx body
        if (answer.contentType() != null) {
            res.header(HeaderNames.CONTENT_TYPE, answer.contentType());
        }
        res.status(Status.create(answer.status()));
        res.send(answer.body());
    }
}
