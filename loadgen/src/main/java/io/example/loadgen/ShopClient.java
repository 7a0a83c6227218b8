package io.example.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.JsonObject;

/**
 * Every call to the gateway goes through here: it waits for the caller's {@link Pacer}, sends, records the
 * outcome and latency under its route, and on a 429 holds that pacer for the {@code Retry-After} the gateway
 * names. Unexpected answers are described on stderr (the first few), with the gateway's request id.
 */
final class ShopClient {
    /** the gateway answers within its own backend timeouts (at most 10 s) */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final int REPORTED_SURPRISES = 20;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
    private final String base;
    private final TrafficStats stats;
    private final StopSignal stop;
    private final PrintStream err;
    private final AtomicInteger surprises = new AtomicInteger();

    ShopClient(URI base, TrafficStats stats, StopSignal stop, PrintStream err) {
        this.base = base.toString();
        this.stats = stats;
        this.stop = stop;
        this.err = err;
    }

    /**
     * @param pathAndQuery e.g. {@code /api/products?limit=5}, already encoded
     * @return a request to the gateway with loadgen's common headers
     */
    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("User-Agent", "loadgen");
    }

    static HttpRequest.BodyPublisher json(JsonObject body) {
        return HttpRequest.BodyPublishers.ofString(body.toString());
    }

    /**
     * @param route   the row it counts under
     * @param pacer   the client it is sent as (a user, the anonymous client, the logins)
     * @param request the request
     * @return the answer, whatever its status
     * @throws NoAnswer when none came (recorded as such)
     * @throws StopSignal.Stopped when the run ended while waiting to send
     */
    Answer send(Route route, Pacer pacer, HttpRequest request) {
        stop.waitUntil(pacer.reserve(System.nanoTime()));
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            stats.unanswered(route, System.nanoTime() - start);
            report(route + ": no answer (" + e + ")");
            throw new NoAnswer(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopSignal.Stopped();
        }
        stats.answered(route, response.statusCode(), System.nanoTime() - start);
        Answer answer = new Answer(response.statusCode(), response.headers(), response.body());
        if (answer.status() == 429) {
            pacer.holdUntil(System.nanoTime() + answer.retryAfter().toNanos());
        }
        if (answer.status() == 401 || answer.status() == 429 || answer.status() >= 500) {
            report(route + ": " + answer.status() + " " + answer.problemDetail().orElse("")
                    + " (request id " + response.headers().firstValue("X-Request-Id").orElse("none") + ")");
        }
        return answer;
    }

    private void report(String surprise) {
        int seen = surprises.incrementAndGet();
        if (seen <= REPORTED_SURPRISES) {
            err.println("loadgen: " + surprise);
        } else if (seen == REPORTED_SURPRISES + 1) {
            err.println("loadgen: more unexpected answers follow; the table counts them all");
        }
    }

    /** No answer came: refused, reset, timed out. */
    static final class NoAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoAnswer(IOException cause) {
            super(cause.toString(), cause);
        }
    }
}
