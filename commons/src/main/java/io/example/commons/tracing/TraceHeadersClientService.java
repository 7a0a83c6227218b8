package io.example.commons.tracing;

import io.helidon.webclient.api.WebClientServiceRequest;
import io.helidon.webclient.api.WebClientServiceResponse;
import io.helidon.webclient.spi.WebClientService;

/**
 * Copies the request id and trace headers of the request being served onto an outgoing call.
 * Calls made outside a request (start-up, background jobs) carry none.
 */
public final class TraceHeadersClientService implements WebClientService {
    @Override
    public WebClientServiceResponse handle(Chain chain, WebClientServiceRequest request) {
        RequestIds.currentRequest().ifPresent(info -> info.propagatedHeaders().forEach(request.headers()::set));
        return chain.proceed(request);
    }
}
