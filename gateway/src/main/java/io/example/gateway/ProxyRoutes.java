package io.example.gateway;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * The gateway's routes to the services. Only the public APIs are routed; {@code /internal/**} is not, so
 * it answers 404 here whatever follows.
 */
final class ProxyRoutes implements HttpService {
    private final Backend auth;
    private final Backend products;
    private final Backend orders;

    ProxyRoutes(Backend auth, Backend products, Backend orders) {
        this.auth = auth;
        this.products = products;
        this.orders = orders;
    }

    @Override
    public void routing(HttpRules rules) {
        mount(rules, "/api/auth", auth);
        mount(rules, "/api/products", products);
        mount(rules, "/api/orders", orders);
    }

    private static void mount(HttpRules rules, String prefix, Backend backend) {
        ProxyHandler handler = new ProxyHandler(backend, prefix + "/**");
        rules.any(prefix, handler)
                .any(prefix + "/*", handler);
    }
}
