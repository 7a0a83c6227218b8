package io.example.commons.client;

import java.time.Duration;

import io.example.commons.tracing.ClientSpans;

import io.helidon.common.socket.SocketOptions;
import io.helidon.config.Config;
import io.helidon.http.Method;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.spi.WebClientService;

/**
 * The one way services build clients for each other: a base URL, connect and read timeouts (no call
 * without them), no redirects followed, no proxy, the trace headers of the current request copied onto
 * every call, nothing sent that would not arrive as written ({@link OutgoingRequestCheck}), and no answer
 * taken for another request's ({@link AnswerFramingCheck}).
 */
public final class ServiceClients {
    private ServiceClients() {
    }

    /**
     * A client for one backend service.
     *
     * @param baseUrl        e.g. {@code http://localhost:8082}
     * @param connectTimeout connect timeout
     * @param readTimeout    read timeout (time without data from the backend)
     * @param services       more client services, e.g. one that adds this service's identity
     * @return client
     */
    public static Http1Client create(String baseUrl, Duration connectTimeout, Duration readTimeout,
                                     WebClientService... services) {
        var builder = Http1Client.builder()
                .baseUri(baseUrl)
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .followRedirects(false)
                // straight to the service: in the mesh the sidecar routes the call, and a JVM-wide
                // http.proxyHost must not redirect it (Helidon's default asks the system's proxy selector
                // on every request and adds a Proxy-Connection header)
                .proxy(Proxy.noProxy())
                // requests are written in pieces too: no Nagle delay (see ServiceServer)
                .socketOptions(SocketOptions.builder().tcpNoDelay(true).build())
                // what is written is checked once, by OutgoingRequestCheck: stricter than Helidon's own check
                // (visible ASCII only), and it also covers the method and the request target
                .protocolConfig(protocol -> protocol.validateRequestHeaders(false))
                .addService(new ClientSpans());
        for (WebClientService service : services) {
            builder.addService(service);
        }
        // after every service that adds headers, so what they add is checked too
        return builder.addService(new OutgoingRequestCheck())
                .addService(new StaleConnectionRetry())
                // next to the network, so a retry gets a new connection
                .addService(new AnswerFramingCheck())
                .build();
    }

    /**
     * Whether a request with this method should go out on a new connection: a request that may change
     * state cannot be safely retried after the pooled-connection race of Helidon 4 (see
     * {@link StaleConnectionRetry}), so it does not use a pooled connection. Use as
     * {@code client.method(m).keepAlive(!ServiceClients.fresh(m))}.
     *
     * @param method HTTP method
     * @return true for anything but GET, HEAD and OPTIONS
     */
    public static boolean fresh(Method method) {
        return !(method == Method.GET || method == Method.HEAD || method == Method.OPTIONS);
    }

    /**
     * A client configured from a node with {@code url}, {@code connect-timeout} and {@code read-timeout}
     * (ISO-8601 durations such as {@code PT2S}), all three required (the module's application.yaml has them).
     *
     * @param node     config node, e.g. {@code product.service}
     * @param services more client services, e.g. one that adds this service's identity
     * @return client
     */
    public static Http1Client create(Config node, WebClientService... services) {
        return create(node.get("url").asString().get(),
                      node.get("connect-timeout").as(Duration.class).get(),
                      node.get("read-timeout").as(Duration.class).get(),
                      services);
    }
}
