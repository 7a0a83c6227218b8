package io.example.commons.client;

import java.time.Duration;

import io.example.commons.http.ProblemException;

import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A service whose name does not resolve (a deleted Service, a DNS blip) is unreachable: 503 with Retry-After,
 * like a refused connection, never a 502 that blames an answer it never gave.
 */
class UnreachableBackendTest {

    @Test
    void aNameThatDoesNotResolveIs503() {
        Http1Client client = ServiceClients.create("http://no-such-service.invalid:8080", Duration.ofSeconds(2),
                                                   Duration.ofSeconds(2));

        Throwable failure = catchThrowable(() -> {
            try (HttpClientResponse ignored = client.get("/api/products").request()) {
                assertThat(ignored).isNull();
            }
        });
        ProblemException problem = BackendFailures.toProblem("product-service", failure);

        assertThat(failure).isNotNull().isNotInstanceOf(AnswerFramingException.class);
        assertThat(problem.problem().status()).isEqualTo(503);
        assertThat(problem.headers()).containsEntry("Retry-After", "1");
    }
}
