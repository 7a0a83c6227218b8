package io.example.commons.client;

import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.net.SocketTimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.http.Method;
import io.helidon.webclient.api.ClientUri;
import io.helidon.webclient.api.WebClientServiceRequest;
import io.helidon.webclient.api.WebClientServiceResponse;
import io.helidon.webclient.spi.WebClientService;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StaleConnectionRetryTest {
    private static final RuntimeException MONITOR_FAILURE =
            new RuntimeException("Exception in socket monitor thread.", new ExecutionException(
                    new UncheckedIOException(new SocketTimeoutException("Read timed out"))));

    @Test
    void aSafeRequestIsSentOnceMoreAfterThePooledConnectionFailed() {
        AtomicInteger calls = new AtomicInteger();
        WebClientServiceResponse ok = response();

        WebClientServiceResponse result = new StaleConnectionRetry().handle(failingOnce(calls, ok), request(Method.GET));

        assertThat(result).isSameAs(ok);
        assertThat(calls).hasValue(2);
    }

    @Test
    void aRequestThatMayChangeStateIsNotRepeated() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> new StaleConnectionRetry().handle(failingOnce(calls, response()), request(Method.POST)))
                .isSameAs(MONITOR_FAILURE);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aSafeRequestOnAConnectionThePeerClosedIsSentOnceMore() {
        AtomicInteger calls = new AtomicInteger();
        WebClientService.Chain closed = request -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("HTTP response did not contain correct status line.");
            }
            return response();
        };

        new StaleConnectionRetry().handle(closed, request(Method.GET));

        assertThat(calls).hasValue(2);
    }

    @Test
    void aReadTimeoutIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        WebClientService.Chain slow = request -> {
            calls.incrementAndGet();
            throw new UncheckedIOException(new SocketTimeoutException("Read timed out"));
        };

        assertThatThrownBy(() -> new StaleConnectionRetry().handle(slow, request(Method.GET)))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void onlyMethodsThatCannotChangeStateReusePooledConnections() {
        assertThat(ServiceClients.fresh(Method.GET)).isFalse();
        assertThat(ServiceClients.fresh(Method.POST)).isTrue();
        assertThat(ServiceClients.fresh(Method.DELETE)).isTrue();
    }

    private static WebClientService.Chain failingOnce(AtomicInteger calls, WebClientServiceResponse ok) {
        return request -> {
            if (calls.incrementAndGet() == 1) {
                throw MONITOR_FAILURE;
            }
            return ok;
        };
    }

    private static WebClientServiceRequest request(Method method) {
        return (WebClientServiceRequest) Proxy.newProxyInstance(
                StaleConnectionRetryTest.class.getClassLoader(), new Class<?>[] {WebClientServiceRequest.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "method" -> method;
                    case "uri" -> ClientUri.create(java.net.URI.create("http://localhost/x"));
                    default -> null;
                });
    }

    private static WebClientServiceResponse response() {
        return (WebClientServiceResponse) Proxy.newProxyInstance(
                StaleConnectionRetryTest.class.getClassLoader(), new Class<?>[] {WebClientServiceResponse.class},
                (proxy, m, args) -> null);
    }
}
