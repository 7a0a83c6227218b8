package io.example.gateway;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.example.commons.testing.RawHttp;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential: the same raw request sent to a service directly and through the gateway reaches it with the
 * same bytes of path and query, whatever their encoding. Nothing is decoded on the way, nothing encoded again.
 */
@ServerTest
class RawTargetPassThroughTest {
    private static RawBackend products;
    private static FakeServices services;
    private final GatewayClient gateway;

    RawTargetPassThroughTest(URI uri) {
        gateway = new GatewayClient(services, uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        products = RawBackend.start();
        services = FakeServices.start();
        services.configure(server, Map.of("product.service.url", products.url()));
    }

    @AfterAll
    static void stop() {
        services.close();
        products.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/products?q=coffee%20set",
            "/api/products?q=a+b",
            "/api/products?q=100%25",
            "/api/products?q=fish%26chips&category=food",
            "/api/products?q=a%3Db",
            "/api/products?q=%2B1",
            "/api/products?q=%7e%7E~",
            "/api/products?q=%E2%82%AC%20and%20%C3%A9",
            "/api/products?q=a;b&a=1&a=2&empty=&flag",
            "/api/products?q=%2F%3F%23",
            "/api/products?&&q==x=",
            "/api/products?q=%22quoted%22&sort=-price",
            "/api/products/p%3Fx",
            "/api/products/p%23x",
            "/api/products/caf%C3%A9",
            "/api/products/%E2%82%AC",
            "/api/products/p%20x",
            "/api/products/p+x",
            "/api/products/p%2D1",
            "/api/products/categories?x=%25zz",
            "/api/products/p-1/history?from=2026",
            "/api/products?from=2026-01-01T00%3A00%3A00%2B01%3A00",
            "/api/products?from=a/b@c!$'()*,;=",
    })
    void aTargetReachesTheServiceWithTheBytesItWasSentWith(String target) {
        RawHttp.Answer direct = new RawHttp(products.port()).send("GET", target);
        RawHttp.Answer proxied = gateway.raw.send("GET", target);

        assertThat(direct.status()).isEqualTo(200);
        assertThat(proxied.status()).as(proxied.body()).isEqualTo(200);
        assertThat(products.requests()).hasSizeGreaterThanOrEqualTo(2);
        RawBackend.Received viaGateway = products.requests().getLast();
        RawBackend.Received sentDirectly = products.requests().get(products.requests().size() - 2);
        assertThat(viaGateway.target()).isEqualTo(sentDirectly.target()).isEqualTo(target);
    }

    @Test
    void differentlyEncodedRequestsNeverShareACacheEntry() {
        List<String> targets = List.of("/api/products?q=x+y", "/api/products?q=x%20y", "/api/products?q=x%2By",
                                       "/api/products?q=x%2by");
        for (String target : targets) {
            RawHttp.Answer answer = gateway.raw.send("GET", target);

            assertThat(answer.header("X-Cache")).isEqualTo("MISS");
            assertThat(answer.body()).isEqualTo("{\"target\":\"" + target + "\"}");
        }
    }
}
