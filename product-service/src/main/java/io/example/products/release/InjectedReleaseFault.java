package io.example.products.release;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;

/**
 * The fault of a bad release: each request waits {@code delay}, then fails with {@code errorPercent} percent
 * chance, independently of every other request, before its handler runs (so a failed write changes nothing).
 * The delay is a sleep of the request's own virtual thread: it holds no platform thread.
 *
 * @param errorPercent share of requests that fail, 0 to 100
 * @param delay        time added to every request
 */
record InjectedReleaseFault(int errorPercent, Duration delay) implements ReleaseFault {
    @Override
    public Handler around(Handler handler) {
        return (req, res) -> {
            inject();
            handler.handle(req, res);
        };
    }

    private void inject() {
        if (delay.isPositive()) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ProblemException.of(Status.SERVICE_UNAVAILABLE_503, "The service is shutting down.");
            }
        }
        if (ThreadLocalRandom.current().nextInt(100) < errorPercent) {
            throw new ProblemException(Problem.typed(
                    "release-fault", "Injected release fault", Status.SERVICE_UNAVAILABLE_503,
                    "This release fails " + errorPercent + "% of product requests on purpose (RELEASE_FAULT_ERROR_PERCENT),"
                            + " an injected release fault to demonstrate a canary rollback; not a fault of the request."));
        }
    }
}
