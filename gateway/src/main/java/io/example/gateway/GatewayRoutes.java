package io.example.gateway;

import java.util.Set;

import io.example.commons.http.Routes;
import io.example.commons.security.BearerAuth;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;

/**
 * The gateway's route table. Only the public APIs are routed; {@code /internal/**} is not, so it answers 404
 * here whatever follows. Routes that need a user check the token here, before any backend is called, and
 * forward the {@code Authorization} header so the services check it again.
 */
final class GatewayRoutes implements HttpService {
    private static final Set<Method> WRITES = Set.of(Method.POST, Method.PUT, Method.PATCH, Method.DELETE);
    private static final String PRODUCT_PREFIX = ProductCache.PRODUCTS + "/";

    private final BearerAuth auth;
    private final Backend authService;
    private final Backend productService;
    private final Backend orderService;
    private final ProductCache cache;
    private final Handler overview;

    /**
     * @param cache the product cache, or null when caching is off
     */
    GatewayRoutes(BearerAuth auth, Backend authService, Backend productService, Backend orderService,
                  ProductCache cache, Handler overview) {
        this.auth = auth;
        this.authService = authService;
        this.productService = productService;
        this.orderService = orderService;
        this.cache = cache;
        this.overview = overview;
    }

    @Override
    public void routing(HttpRules rules) {
        // routes are tried in order: the busiest (product reads, then orders) first
        ProxyHandler productReads = new ProxyHandler(productService, ProductCache.PRODUCTS + "/**");
        if (cache != null) {
            // registered before the catch-all below, categories before {id}
            rules.get(ProductCache.PRODUCTS, new CachedReadHandler(cache, productReads, ProductCache.PRODUCTS))
                    .get(ProductCache.CATEGORIES, new CachedReadHandler(cache, productReads, ProductCache.CATEGORIES))
                    .get(PRODUCT_PREFIX + "{id}", new CachedReadHandler(cache, productReads, PRODUCT_PREFIX + "{id}"));
        }
        Handler productWrites = signedIn(new ProxyHandler(productService, ProductCache.PRODUCTS + "/**",
                                                          this::dropStaleProducts));
        mount(rules, ProductCache.PRODUCTS, (req, res) -> {
            if (WRITES.contains(req.prologue().method())) {
                productWrites.handle(req, res);
            } else {
                productReads.handle(req, res);
            }
        });

        mount(rules, "/api/orders", signedIn(new ProxyHandler(orderService, "/api/orders/**", this::dropStaleStock)));

        rules.any("/api/auth/me", signedIn(new ProxyHandler(authService, "/api/auth/me")));
        mount(rules, "/api/auth", new ProxyHandler(authService, "/api/auth/**"));

        Routes.under("").get("/api/overview", overview).register(rules);
    }

    private Handler signedIn(Handler next) {
        return (req, res) -> {
            auth.user(req);
            next.handle(req, res);
        };
    }

    private void dropStaleProducts(ServerRequest req) {
        if (cache != null) {
            cache.invalidateProduct(productId(req.path().rawPath()));
        }
    }

    // placing or cancelling an order changes stock, which every cached product read may show
    private void dropStaleStock(ServerRequest req) {
        if (cache != null && req.prologue().method() == Method.POST) {
            cache.invalidateAll();
        }
    }

    static String productId(String rawPath) {
        if (!rawPath.startsWith(PRODUCT_PREFIX)) {
            return null;
        }
        String rest = rawPath.substring(PRODUCT_PREFIX.length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.isEmpty() ? null : id;
    }

    private static void mount(HttpRules rules, String prefix, Handler handler) {
        rules.any(prefix, handler)
                .any(prefix + "/*", handler);
    }
}
