package io.example.gateway;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.example.commons.http.Routes;
import io.example.commons.security.BearerAuth;
import io.example.gateway.cache.ProductReads;
import io.example.gateway.proxy.Backend;
import io.example.gateway.proxy.ProxyHandler;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;

/**
 * The gateway's route table. Only the public APIs are routed; {@code /internal/**} is not, so it answers 404
 * here whatever follows. Routes that need a user check the token here, before any backend is called, and
 * forward the {@code Authorization} header so the services check it again. Main registers it once, at the
 * root rather than under a prefix: it spans every public API, and its metrics labels and the cache's keys are
 * the paths as clients send them.
 */
final class GatewayRoutes implements HttpService {
    private static final String PRODUCTS = ProductReads.LIST;
    private static final String CATEGORIES = ProductReads.CATEGORIES;
    private static final String PRODUCT_PREFIX = ProductReads.ONE;
    private static final String PRODUCT = PRODUCT_PREFIX + "{id}";
    private static final Set<Method> WRITES = Set.of(Method.POST, Method.PUT, Method.PATCH, Method.DELETE);

    private final BearerAuth auth;
    private final Backend authService;
    private final Backend productService;
    private final Backend orderService;
    private final ProductReads productReads;
    private final Handler overview;

    GatewayRoutes(BearerAuth auth, Backend authService, Backend productService, Backend orderService,
                  ProductReads productReads, Handler overview) {
        this.auth = auth;
        this.authService = authService;
        this.productService = productService;
        this.orderService = orderService;
        this.productReads = productReads;
        this.overview = overview;
    }

    @Override
    public void routing(HttpRules rules) {
        // routes are tried in order: the busiest (product reads, then orders) first
        ProxyHandler passThrough = new ProxyHandler(productService, PRODUCTS + "/**");
        // registered before the catch-all below, categories before {id}; a HEAD is the same read without its body,
        // from the cache too, with the GET's ETag and Cache-Control
        for (String read : List.of(PRODUCTS, CATEGORIES, PRODUCT)) {
            Handler reads = productReads.reads(read, passThrough);
            rules.get(read, reads)
                    .head(read, Routes.head(reads));
        }
        Handler productWrites = signedIn(new ProxyHandler(productService, PRODUCTS + "/**", this::dropStaleProducts));
        mount(rules, PRODUCTS, (req, res) -> {
            if (WRITES.contains(req.prologue().method())) {
                productWrites.handle(req, res);
            } else {
                passThrough.handle(req, res);
            }
        });

        mount(rules, "/api/orders", signedIn(new ProxyHandler(orderService, "/api/orders/**", this::dropStaleStock)));

        rules.any("/api/auth/me", signedIn(new ProxyHandler(authService, "/api/auth/me")));
        mount(rules, "/api/auth", new ProxyHandler(authService, "/api/auth/**"));

        Routes.create().get("/api/overview", overview).register(rules);
    }

    private Handler signedIn(Handler next) {
        return (req, res) -> {
            auth.user(req);
            next.handle(req, res);
        };
    }

    // The product events reach every replica's cache too; dropping here as well makes a write through this
    // replica visible at once on it, even when the broker is away.
    private void dropStaleProducts(ServerRequest req) {
        productId(req.path().path()).ifPresentOrElse(productReads::productChanged, productReads::listsChanged);
    }

    // placing or cancelling an order changes stock, which every product read may show (the stock-changed
    // events say which products, to every replica; this replica need not wait for them)
    private void dropStaleStock(ServerRequest req) {
        if (req.prologue().method() == Method.POST) {
            productReads.dropAll();
        }
    }

    private static Optional<String> productId(String path) {
        if (!path.startsWith(PRODUCT_PREFIX)) {
            return Optional.empty();
        }
        String rest = path.substring(PRODUCT_PREFIX.length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    private static void mount(HttpRules rules, String prefix, Handler handler) {
        rules.any(prefix, handler)
                .any(prefix + "/*", handler);
    }
}
