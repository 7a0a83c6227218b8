package io.example.commons.client;

import java.util.Optional;
import java.util.logging.Logger;

import io.example.commons.tracing.TraceHeaders;

import io.helidon.http.ClientResponseHeaders;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.WebClientServiceRequest;
import io.helidon.webclient.api.WebClientServiceResponse;
import io.helidon.webclient.spi.WebClientService;

/**
 * Makes sure an answer read from a kept-alive connection is the answer to the request just sent, and that a
 * connection whose framing surprised us is never used again (Helidon 4.1's client would hand the surprise to
 * the next request on it):
 * <ul>
 *     <li>an answer naming another request id than the one sent is the answer to another request: the
 *     connection is closed and the call fails with {@link AnswerFramingException} (a safe request is then
 *     sent again on a new connection by {@link StaleConnectionRetry});</li>
 *     <li>an answer that cannot have a body (to HEAD; 1xx, 204, 304) is given none, whatever its
 *     {@code Content-Length} says (Helidon's client would read the next answer as its body);</li>
 *     <li>bytes already received beyond the end of the answer mark the connection {@code Connection: close},
 *     so it is closed, not reused, once this answer is read;</li>
 *     <li>an answer framed two ways, or in a way the client cannot read, fails the call with
 *     {@link AnswerFramingException} and its connection is not used again: a {@code Content-Length} that is not one
 *     number (Helidon's client throws), both {@code Content-Length} and {@code Transfer-Encoding} (RFC 9112 lets
 *     the coding win; Helidon's client reads the length), or an {@code Upgrade} header on an answer that switches
 *     nothing (Helidon's client then reads no body, whatever the length says, and would relay an empty one).</li>
 * </ul>
 */
final class AnswerFramingCheck implements WebClientService {
    private static final Logger LOGGER = Logger.getLogger(AnswerFramingCheck.class.getName());
    private static final HeaderName REQUEST_ID = HeaderNames.create(TraceHeaders.REQUEST_ID);

    @Override
    public WebClientServiceResponse handle(Chain chain, WebClientServiceRequest request) {
        WebClientServiceResponse answer;
        try {
            answer = chain.proceed(request);
        } catch (IllegalArgumentException e) {
            // before the request is written this is a name that does not resolve (Helidon's resolver throws it):
            // unreachable, not a bad answer
            if (!request.whenSent().toCompletableFuture().isDone()) {
                throw e;
            }
            throw new AnswerFramingException("The answer's framing could not be read", e);
        }
        String ambiguity = ambiguity(answer);
        if (ambiguity != null) {
            answer.connection().closeResource();
            throw new AnswerFramingException(ambiguity);
        }
        Optional<String> sentId = request.headers().first(REQUEST_ID);
        Optional<String> answeredId = answer.headers().first(REQUEST_ID);
        if (sentId.isPresent() && answeredId.isPresent() && !sentId.get().equals(answeredId.get())) {
            answer.connection().closeResource();
            throw new AnswerFramingException("The answer names request " + answeredId.get() + ", not "
                                                     + sentId.get() + ": the connection was out of step.");
        }
        boolean bodiless = request.method() == Method.HEAD || answer.status().code() < 200
                || answer.status().code() == 204 || answer.status().code() == 304;
        long expectedBytes = bodiless ? 0 : answer.headers().contentLength().orElse(-1);
        boolean extraBytes = expectedBytes >= 0 && buffered(answer) > expectedBytes;
        if (!bodiless && !extraBytes) {
            return answer;
        }
        WritableHeaders<?> headers = WritableHeaders.create(answer.headers());
        if (bodiless) {
            headers.remove(HeaderNames.CONTENT_LENGTH);
            headers.remove(HeaderNames.TRANSFER_ENCODING);
        }
        if (extraBytes) {
            LOGGER.warning(() -> "Bytes beyond the end of an answer from " + request.uri().authority()
                    + ": closing the connection");
            headers.set(HeaderValues.CONNECTION_CLOSE);
        }
        WebClientServiceResponse.Builder checked = WebClientServiceResponse.builder()
                .from(answer)
                .headers(ClientResponseHeaders.create(headers));
        if (bodiless) {
            checked.clearInputStream();
        }
        return checked.build();
    }

    private static String ambiguity(WebClientServiceResponse answer) {
        ClientResponseHeaders headers = answer.headers();
        if (headers.contains(HeaderNames.CONTENT_LENGTH) && headers.contains(HeaderNames.TRANSFER_ENCODING)) {
            return "The answer has both Content-Length and Transfer-Encoding.";
        }
        if (headers.contains(HeaderNames.UPGRADE) && answer.status().code() != Status.SWITCHING_PROTOCOLS_101.code()) {
            return "The answer offers an Upgrade without switching protocols; its body cannot be read.";
        }
        return null;
    }

    private static long buffered(WebClientServiceResponse answer) {
        return answer.connection() instanceof ClientConnection connection ? connection.reader().available() : 0;
    }
}
