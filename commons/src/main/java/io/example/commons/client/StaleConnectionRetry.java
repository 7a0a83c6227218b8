package io.example.commons.client;

import java.util.Set;
import java.util.logging.Logger;

import io.helidon.http.Method;
import io.helidon.webclient.api.WebClientServiceRequest;
import io.helidon.webclient.api.WebClientServiceResponse;
import io.helidon.webclient.spi.WebClientService;

/**
 * Works around races in Helidon 4's WebClient connection cache (helidon#9012; #10861, still open for 4.5,
 * its fix #10880 incomplete): a pooled connection can be handed out after its peer closed it ("response did not
 * contain correct status line"), and its idle monitor can fail a request whose answer takes longer than
 * about 100 ms ("Exception in socket monitor thread"). The failed connection is closed, so a safe request
 * (GET, HEAD) is sent once more, on another connection, after any failure but a read timeout (which would
 * only double the wait). Requests that change state are not retried here: {@link ServiceClients#fresh}
 * sends them on a new connection, where these races cannot happen.
 */
final class StaleConnectionRetry implements WebClientService {
    private static final Logger LOGGER = Logger.getLogger(StaleConnectionRetry.class.getName());
    private static final Set<Method> SAFE = Set.of(Method.GET, Method.HEAD);
    private static final String MONITOR_FAILURE = "Exception in socket monitor thread";

    @Override
    public WebClientServiceResponse handle(Chain chain, WebClientServiceRequest request) {
        try {
            return chain.proceed(request);
        } catch (RuntimeException e) {
            if (!SAFE.contains(request.method()) || (BackendFailures.isTimeout(e) && !isMonitorFailure(e))) {
                throw e;
            }
            LOGGER.fine(() -> "Retrying " + request.method().text() + " " + request.uri().path()
                    + " on a new connection after a pooled connection failed");
            return chain.proceed(request);
        }
    }

    static boolean isMonitorFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(MONITOR_FAILURE)) {
                return true;
            }
        }
        return false;
    }
}
