package io.example.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.example.commons.testing.RawHttp;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw-socket framing at the gateway: a target that would change meaning on the way (an encoded or raw control
 * character, broken percent-encoding) is refused with 400 problem+json before any service sees it, so no
 * client can write a second request into the gateway's connection to a service; and an answer out of step
 * with its request is never taken for the answer to the next one.
 */
@ServerTest
class RequestSmugglingTest {
    private static final String SMUGGLED = "%20HTTP/1.1%0D%0AHost:%20x%0D%0A%0D%0APOST%20/internal/reservations%20"
            + "HTTP/1.1%0D%0AHost:%20x%0D%0AContent-Length:%202%0D%0A%0D%0A%7B%7D%0D%0A%0D%0AGET%20/api/products/p-2";

    // the query version encodes ':' too (Helidon 4.1.7's server refused a raw one in a query)
    private static final String SMUGGLED_IN_QUERY = "%20HTTP/1.1%0D%0AHost%3A%20x%0D%0A%0D%0APOST%20/internal/reservations"
            + "%20HTTP/1.1%0D%0AHost%3A%20x%0D%0AContent-Length%3A%202%0D%0A%0D%0A%7B%7D%0D%0A%0D%0AGET%20/api/products/p-2";

    private static RawBackend products;
    private static FakeServices services;
    private final GatewayClient gateway;

    RequestSmugglingTest(URI uri) {
        gateway = new GatewayClient(services, uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        products = RawBackend.start();
        services = FakeServices.start();
        services.configure(server, Map.of("product.service.url", products.url(), "cache.ttl.seconds", "0"));
    }

    @AfterAll
    static void stop() {
        services.close();
        products.close();
    }

    @BeforeEach
    void answerNormally() {
        products.answering(RawBackend::echo);
    }

    @ParameterizedTest
    @CsvSource({
            "GET, /api/products/p-1" + SMUGGLED,
            "HEAD, /api/products/p-1" + SMUGGLED,
            "GET, /api/products?q=a" + SMUGGLED_IN_QUERY,
            "GET, /api/products/p-1%0d%0aX-Injected:%20yes",
            "GET, /api/products/p-1%0AX-Injected:%20yes",
            "HEAD, /api/products/p-1%0AX-Injected:%20yes",
            "GET, /api/products?q=a%0D%0AX-Injected%3A%20yes",
            "HEAD, /api/products?q=a%0Ab",
            "GET, /api/products/p-1%00",
            "GET, /api/products?q=%00",
            "GET, /api/products/p-1%7F",
            "GET, /api/products/p-1%1b%5B31m",
            "HEAD, /api/products?q=%09",
    })
    void anEncodedControlCharacterIsRefusedBeforeAnyService(String method, String target) {
        assertRefusedBeforeAnyService(method, target);
    }

    // Helidon's server already refuses these before routing; kept so that it stays so
    @ParameterizedTest
    @CsvSource({
            "GET, /api/products/p-1%zz",
            "HEAD, /api/products/p-1%zz",
            "GET, /api/products/p-1%4",
            "GET, /api/products/p-1%",
            "GET, /api/products?q=%",
            "GET, /api/products?q=%4",
            "GET, /api/products?q=%g0",
            "HEAD, /api/products?q=100%",
    })
    void brokenPercentEncodingIsRefusedBeforeAnyService(String method, String target) {
        assertRefusedBeforeAnyService(method, target);
    }

    // the gateway checks one credential and a service reads one: never two that a proxy between them could pick from
    @Test
    void aSecondAuthorizationHeaderIsRefusedBeforeAnyService() {
        assertRefusedBeforeAnyService("GET", "/api/products/p-1", "Authorization: Bearer a", "Authorization: Bearer b");
    }

    private void assertRefusedBeforeAnyService(String method, String target, String... headerLines) {
        int before = products.requests().size();

        RawHttp.Answer answer = gateway.raw.send(method, target, headerLines);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.isProblem()).as("%s", answer).isTrue();
        assertThat(products.requests()).hasSize(before);
    }

    // raw control bytes (01, 0b, 1b, 7f) Helidon's server already refuses; non-ASCII bytes it let through
    @ParameterizedTest
    @CsvSource({
            "GET, /api/products/p-1, c3a9", "HEAD, /api/products/p-1, c3a9", "GET, /api/products/p-1, ff",
            "GET, /api/products?q=, c3a9", "GET, /api/products/p-1, 01", "GET, /api/products/p-1, 0b",
            "HEAD, /api/products/p-1, 7f", "GET, /api/products/p-1, 1b"})
    void aRawControlOrNonAsciiByteInTheTargetIsRefusedBeforeAnyService(String method, String prefix, String hexBytes) {
        byte[] raw = HexFormat.of().parseHex(hexBytes);

        assertRefusedBeforeAnyService(method, prefix + new String(raw, StandardCharsets.ISO_8859_1) + "x");
    }

    // Helidon reads what follows ';' in a segment as its parameters, so these are dot segments to every service
    @ParameterizedTest
    @ValueSource(strings = {"/api/products/.;/categories", "/api/products/p-1/..;/categories",
            "/api/orders/..;/products/categories", "/api/products/%2e%2e;v=1/x", "/api/products/.;x=1/categories"})
    void aDotSegmentWithParametersIsRefusedBeforeAnyService(String target) {
        assertRefusedBeforeAnyService("GET", target);
    }

    // a service would serve p-1;v=1 as p-1 and //p-1 as /p-1: each spelling a new cache entry, and a path checked
    // as text before the service (the mesh's policies) would not be the path served
    @ParameterizedTest
    @ValueSource(strings = {"/api/products/p-1;v=1", "/api/products;x/p-1", "/api/products//p-1", "//api/products"})
    void segmentParametersAndEmptySegmentsAreRefusedBeforeAnyService(String target) {
        assertRefusedBeforeAnyService("GET", target);
    }

    @Test
    void connectIsRefusedBeforeAnyServiceAsNoTunnelIsOffered() {
        // Helidon's client cannot send it on, and the gateway answered a client's CONNECT with a 503 of its own
        assertRefusedBeforeAnyService("CONNECT", "/api/products");
        assertThat(gateway.raw.send("CONNECT", "/api/products").body()).contains("CONNECT opens a tunnel");
    }

    @Test
    void aFragmentInTheTargetIsRefusedBeforeAnyService() {
        assertRefusedBeforeAnyService("GET", "/api/products/p-1#top");
    }

    @Test
    void aHeadGoesOnAsTheGetItStandsForAndIsAnsweredWithItsLengthAndNoBodyInStep() {
        int before = products.requests().size();

        RawHttp.Answer head = gateway.raw.send("HEAD", "/api/products/p-8");
        RawHttp.Answer next = gateway.raw.send("GET", "/api/products/p-9");

        // RFC 9110: an answer to HEAD carries the Content-Length a GET would have, and no body
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf("{\"target\":\"/api/products/p-8\"}".length()));
        assertThat(head.body()).isEmpty();
        assertThat(next.body()).isEqualTo("{\"target\":\"/api/products/p-9\"}");
        assertThat(products.requests().subList(before, products.requests().size()))
                .extracting(RawBackend.Received::requestLine)
                .containsExactly("GET /api/products/p-8 HTTP/1.1", "GET /api/products/p-9 HTTP/1.1");
    }

    @Test
    void aSmuggledRequestNeverReachesTheServiceAndTheNextClientGetsItsOwnAnswer() {
        int before = products.requests().size();

        gateway.raw.send("GET", "/api/products/p-1" + SMUGGLED);
        RawHttp.Answer next = gateway.raw.send("GET", "/api/products/p-3");

        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"target\":\"/api/products/p-3\"}");
        assertThat(products.requests().subList(before, products.requests().size()))
                .extracting(RawBackend.Received::requestLine)
                .containsExactly("GET /api/products/p-3 HTTP/1.1");
    }

    @Test
    void bytesAfterAnAnswerAreNeverReadAsTheAnswerToTheNextRequest() {
        // the service answers once, and writes a second, unasked-for answer right behind it
        products.answering(request -> RawBackend.concat(
                RawBackend.echo(request), RawBackend.response(null, "{\"target\":\"poison\"}")));
        RawHttp.Answer first = gateway.raw.send("GET", "/api/products/p-4");
        products.answering(RawBackend::echo);

        RawHttp.Answer next = gateway.raw.send("GET", "/api/products/p-5");

        assertThat(first.body()).isEqualTo("{\"target\":\"/api/products/p-4\"}");
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"target\":\"/api/products/p-5\"}");
    }

    @Test
    void anAnswerNamingAnotherRequestIsNeverTakenForThisOne() throws InterruptedException {
        // the unasked-for answer comes a moment later, once the connection is back in the pool: only the
        // request id it names shows that it does not belong to the next request
        products.answering(request -> {
            byte[] late = RawBackend.response("smuggled-request", "{\"target\":\"poison\"}");
            Thread.ofVirtual().start(() -> {
                try {
                    TimeUnit.MILLISECONDS.sleep(300);
                    products.writeOn(request.connection(), late);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return RawBackend.echo(request);
        });
        gateway.raw.send("GET", "/api/products/p-6");
        products.answering(RawBackend::echo);
        TimeUnit.MILLISECONDS.sleep(600);

        RawHttp.Answer next = gateway.raw.send("GET", "/api/products/p-7");

        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"target\":\"/api/products/p-7\"}");
    }
}
