package io.example.commons.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.example.commons.tracing.RequestInfo;
import io.example.commons.tracing.ServerSpans;
import io.example.commons.tracing.TraceHeaders;

import io.helidon.http.DirectHandler;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.HttpException;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.http.media.UnsupportedTypeException;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;

/**
 * The one place where failures become problem+json responses.
 *
 * <p>Two paths reach it: exceptions thrown in routing (handlers, filters, Helidon's 404) go through
 * {@link #register(HttpRouting.Builder)}; errors Helidon detects before or outside routing (a body over
 * the size limit, a malformed request line or header) go through {@link #directHandlers(PayloadLimit)}.
 * Nothing internal (exception messages, classes, SQL) is ever sent; unexpected exceptions are logged
 * with the request id and answered 500.
 */
public final class ErrorHandling {
    private static final Logger LOGGER = Logger.getLogger(ErrorHandling.class.getName());

    private ErrorHandling() {
    }

    /**
     * Register the error handlers on a routing.
     *
     * @param routing routing builder
     * @return the same builder
     */
    public static HttpRouting.Builder register(HttpRouting.Builder routing) {
        return routing.error(Throwable.class, ErrorHandling::handle);
    }

    /**
     * Direct handlers for the server listener: same problem+json for errors outside routing.
     *
     * @param limit the server's payload limit, named when a body's {@code Content-Length} is over it
     * @return direct handlers
     */
    public static DirectHandlers directHandlers(PayloadLimit limit) {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, new DirectProblems(limit));
        }
        return builder.build();
    }

    /**
     * Map any throwable to the problem a client should see.
     *
     * @param error the failure
     * @return the problem
     */
    public static Problem toProblem(Throwable error) {
        if (error instanceof ProblemException problem) {
            return problem.problem();
        }
        if (error instanceof JsonbException || error instanceof JsonException) {
            return Json.malformed("The body is not valid JSON, or a field has a value of the wrong type.").problem();
        }
        if (error instanceof UnsupportedTypeException) {
            return Problem.of(Status.UNSUPPORTED_MEDIA_TYPE_415, "Send the body as application/json.");
        }
        if (error instanceof HttpException http) {
            return Problem.of(http.status(), detailFor(http.status()));
        }
        return Problem.of(Status.INTERNAL_SERVER_ERROR_500, detailFor(Status.INTERNAL_SERVER_ERROR_500));
    }

    /**
     * Write a problem as the response, naming the request's id and trace id.
     *
     * @param req     the request it answers
     * @param res     response
     * @param problem problem
     */
    public static void send(ServerRequest req, ServerResponse res, Problem problem) {
        Problem identified = req.context().get(RequestInfo.class)
                .map(info -> problem.identified(info.requestId(), info.traceId()))
                .orElse(problem);
        res.status(Status.create(problem.status()));
        res.header(HeaderNames.CONTENT_TYPE, MediaTypes.PROBLEM_JSON);
        byte[] body = Json.write(identified).getBytes(StandardCharsets.UTF_8);
        if (req.prologue().method() == Method.HEAD) {
            // Helidon writes whatever is sent, and a client reads no body after HEAD: the bytes would be taken
            // for the next answer on the connection. The length stays the GET's (RFC 9110 8.6)
            res.contentLength(body.length);
            res.send();
            return;
        }
        res.send(body);
    }

    /**
     * Keep a header on this request's response even when it ends in an error. The error path starts from a
     * reset response, so headers a filter set before routing (e.g. the gateway's {@code RateLimit-*}) would
     * otherwise be lost on 4xx/5xx answers.
     *
     * @param req     request being served
     * @param headers the headers, all set at once
     */
    public static void keepOnError(ServerRequest req, Header... headers) {
        req.context().register(new KeptHeaders(List.of(headers)));
    }

    private record KeptHeaders(List<Header> headers) {
    }

    private static void handle(ServerRequest req, ServerResponse res, Throwable error) {
        Problem problem = toProblem(error);
        String requestId = req.context().get(RequestInfo.class).map(RequestInfo::requestId).orElse("-");
        if (problem.status() >= 500 && !(error instanceof ProblemException)) {
            String traceId = req.context().get(RequestInfo.class).map(RequestInfo::traceId).orElse("-");
            LOGGER.log(Level.SEVERE, "Unexpected failure of " + req.prologue().method().text() + " "
                    + req.path().absolute().path() + " rid=" + requestId + " trace=" + traceId, error);
        }
        // an error handler starts from a reset response: put the request id back
        res.header(TraceHeaders.REQUEST_ID, requestId);
        req.context().get(KeptHeaders.class).ifPresent(kept -> kept.headers().forEach(res::header));
        if (error instanceof ProblemException pe) {
            pe.headers().forEach(res::header);
        }
        if (error instanceof HttpException http) {
            http.headers().forEach(res::header);
        }
        send(req, res, problem);
    }

    // Helidon passes what failed outside routing to the variant with a Throwable: keep it in the log, so a fault
    // of the server itself is never only a 400 a client saw
    private record DirectProblems(PayloadLimit limit) implements DirectHandler {
        @Override
        public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                        ServerResponseHeaders headers, Throwable thrown) {
            String requestId = UUID.randomUUID().toString();
            String traceId = ServerSpans.traceId(request.headers());
            if (eventType == EventType.INTERNAL_ERROR) {
                LOGGER.log(Level.WARNING, "Request failed outside routing (answered 400): "
                        + (request.method() + " " + request.path()).replaceAll("\\p{Cntrl}", "?")
                        + " rid=" + requestId + " trace=" + traceId, thrown);
            }
            return direct(request, eventType, status, headers, limit, requestId, traceId);
        }

        @Override
        public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                        ServerResponseHeaders headers, String message) {
            return direct(request, eventType, status, headers, limit, UUID.randomUUID().toString(),
                          ServerSpans.traceId(request.headers()));
        }
    }

    // the request never reached the filter that keeps or makes its ids: a new request id, and the trace its
    // headers name (or a new one), so every answer still names both
    private static DirectHandler.TransportResponse direct(DirectHandler.TransportRequest request,
                                                          DirectHandler.EventType eventType,
                                                          Status status,
                                                          ServerResponseHeaders headers,
                                                          PayloadLimit limit,
                                                          String requestId,
                                                          String traceId) {
        // Helidon reports a request head it cannot parse (a NUL before the method, a broken header) and a body it
        // cannot drain after the answer as an internal error. Everything failing inside routing has already been
        // answered by the routing error handler, so what arrives here is the client's bytes: a 400.
        Status answered = eventType == DirectHandler.EventType.INTERNAL_ERROR ? Status.BAD_REQUEST_400 : status;
        String detail;
        if (eventType == DirectHandler.EventType.BAD_REQUEST && status == Status.BAD_REQUEST_400
                && request.headers().contains(HeaderNames.CONTENT_ENCODING)) {
            // Helidon refuses a request naming any Content-Encoding (it decodes none here) as a bad request, and
            // says why only in its debug log; RFC 7694 makes it a 415 naming the codings taken: none. (Its 413 and
            // 501 come first and stay; a request with a Content-Encoding and a bad Host as well gets this 415.)
            answered = Status.UNSUPPORTED_MEDIA_TYPE_415;
            detail = "Send the body without a Content-Encoding.";
            headers.set(HeaderNames.ACCEPT_ENCODING, "identity");
        } else if (answered == Status.REQUEST_ENTITY_TOO_LARGE_413) {
            // Helidon refuses a Content-Length over the limit here, before routing; a chunked body over it is found
            // while RequestBody reads it
            detail = limit.detail();
        } else {
            detail = detailFor(answered);
        }
        headers.setIfAbsent(HeaderValues.create(TraceHeaders.REQUEST_ID, requestId));
        Problem problem = Problem.of(answered, detail)
                .identified(headers.first(HeaderNames.create(TraceHeaders.REQUEST_ID)).orElse(requestId), traceId);
        headers.set(HeaderNames.CONTENT_TYPE, MediaTypes.PROBLEM_JSON);
        DirectHandler.TransportResponse.Builder response = DirectHandler.TransportResponse.builder()
                .status(answered)
                .headers(headers)
                .keepAlive(eventType.keepAlive());
        // no body after HEAD (see send); Helidon writes Content-Length: 0 for it, whatever the headers say
        if (!Method.HEAD.text().equals(request.method())) {
            response.entity(Json.write(problem).getBytes(StandardCharsets.UTF_8));
        }
        return response.build();
    }

    private static String detailFor(Status status) {
        return switch (status.code()) {
            case 400 -> "The request is malformed.";
            case 404 -> "No resource at this path.";
            case 405 -> "This method is not allowed on this path.";
            case 415 -> "Send the body as application/json.";
            case 431 -> "The request headers are too large.";
            case 500 -> "An unexpected error occurred; it has been logged.";
            default -> status.reasonPhrase();
        };
    }
}
