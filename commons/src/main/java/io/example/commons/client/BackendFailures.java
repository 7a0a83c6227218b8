package io.example.commons.client;

import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

import io.helidon.http.Status;

/**
 * Turns a failed call to another service into the answer a client should get: 504 when the backend
 * did not answer in time, 503 when it could not be reached. The backend's name is given; its address
 * and the exception are not.
 */
public final class BackendFailures {
    private static final Logger LOGGER = Logger.getLogger(BackendFailures.class.getName());

    private BackendFailures() {
    }

    // the exception chain in one line, for the log only (clients never see it)
    private static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            text.append(text.isEmpty() ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return text.toString();
    }

    /**
     * Whether a failure is a timeout (somewhere in its cause chain).
     *
     * @param error failure of a call
     * @return true for a timeout
     */
    public static boolean isTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof InterruptedIOException || t instanceof HttpTimeoutException
                    || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The problem for a failed call.
     *
     * @param backend name of the service called, e.g. {@code product-service}
     * @param error   failure of the call
     * @return exception to throw
     */
    public static ProblemException toProblem(String backend, Throwable error) {
        LOGGER.warning(() -> "Call to " + backend + " failed: " + describe(error));
        if (error instanceof UnsafeRequestException) {
            return new ProblemException(Problem.typed("unsafe-request", "Request cannot be forwarded",
                                                      Status.BAD_REQUEST_400,
                                                      "The request contains characters that cannot be passed on."));
        }
        if (error instanceof AnswerFramingException) {
            return new ProblemException(Problem.typed("backend-failure", "Backend failure", Status.BAD_GATEWAY_502,
                                                      backend + " sent an answer that could not be trusted."));
        }
        if (isTimeout(error)) {
            return new ProblemException(Problem.typed("backend-timeout", "Backend timeout",
                                                      Status.GATEWAY_TIMEOUT_504,
                                                      backend + " did not answer in time."));
        }
        return unavailable(backend);
    }

    /**
     * The problem for a service that cannot be used yet: 503 with {@code Retry-After}.
     *
     * @param backend name of the service, e.g. {@code auth-service}
     * @return exception to throw
     */
    public static ProblemException unavailable(String backend) {
        return new ProblemException(Problem.typed("backend-unavailable", "Backend unavailable",
                                                  Status.SERVICE_UNAVAILABLE_503,
                                                  backend + " is unavailable; try again shortly."))
                .withHeader("Retry-After", "1");
    }
}
