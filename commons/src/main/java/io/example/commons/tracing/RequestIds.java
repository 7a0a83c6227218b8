package io.example.commons.tracing;

import java.util.Optional;

import io.helidon.common.context.Contexts;

/**
 * Access to the request being served on this thread.
 */
public final class RequestIds {
    private RequestIds() {
    }

    /**
     * @return the current request's info, when called while serving a request
     */
    public static Optional<RequestInfo> currentRequest() {
        return Contexts.context().flatMap(context -> context.get(RequestInfo.class));
    }
}
