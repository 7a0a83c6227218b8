package io.example.gateway.cache;

import io.example.gateway.proxy.BackendAnswer;
import io.example.gateway.proxy.ProxyHandler;
import io.example.gateway.proxy.RequestTarget;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A public product read served from the {@link ProductCache}: {@code X-Cache: HIT|MISS}, a strong
 * {@code ETag}, {@code Cache-Control: public, max-age=<ttl>} with {@code Age} on hits, and 304 to a matching
 * {@code If-None-Match} whether the answer was cached or just loaded.
 */
final class CachedReadHandler implements Handler {
    private final ProductCache cache;
    private final ProxyHandler products;
    private final String routeLabel;

    CachedReadHandler(ProductCache cache, ProxyHandler products, String routeLabel) {
        this.cache = cache;
        this.products = products;
        this.routeLabel = routeLabel;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        ProxyHandler.label(req, routeLabel);
        RequestTarget target = RequestTarget.of(req);
        // the key is what the product service would receive: no two different requests share an entry
        ProductCache.Lookup lookup = cache.get(target.toString(), () -> products.fetch(req, target));
        send(lookup, req, res);
    }

    private void send(ProductCache.Lookup lookup, ServerRequest req, ServerResponse res) {
        ProductCache.Entry entry = lookup.entry();
        BackendAnswer answer = entry.answer();
        res.header("X-Cache", lookup.hit() ? "HIT" : "MISS");
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
