package io.example.commons.server;

import java.util.List;
import java.util.function.Consumer;

import io.example.commons.http.ErrorHandling;
import io.example.commons.http.JsonEntities;
import io.example.commons.http.PayloadLimit;
import io.example.commons.observe.ObservePaths;
import io.example.commons.observe.RequestObservationFilter;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.http.media.MediaContext;
import io.helidon.logging.common.LogConfig;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * The server set-up every service shares: port and limits from {@code server} config (the request body limit,
 * {@code server.max-payload-size}, as a {@link PayloadLimit}; the connections held at once, as a
 * {@link ConnectionLimit}), problem+json for every error, the request
 * observation filter, strict body framing ({@link RequestFraming}), paths served as they read ({@link StrictPath}),
 * no second credential, body type or idempotency key ({@link SingleValuedHeaders}), {@code /health/live},
 * {@code /health/ready},
 * {@code /metrics}, and the service's OpenAPI document ({@value #OPENAPI_DOCUMENT} on the class path) at
 * {@value #OPENAPI_PATH}. Each service's {@code Main} adds only its own routes and readiness checks through
 * {@link #start}; tests ({@code @ServerTest} classes, in their {@code @SetUpServer} method) call
 * {@link #configure} with the same arguments, so what is tested is what runs.
 */
public final class ServiceServer {
    /** Where every service serves its OpenAPI document. */
    public static final String OPENAPI_PATH = "/openapi";
    /** The class-path resource each service ships its OpenAPI document as. */
    public static final String OPENAPI_DOCUMENT = "META-INF/openapi.yaml";

    private ServiceServer() {
    }

    /**
     * Logging from {@code logging.properties}, then config: the module's {@code application.yaml} under
     * environment variables and system properties (so {@code SERVER_PORT} overrides {@code server.port}).
     *
     * @return config
     */
    public static Config loadConfig() {
        LogConfig.configureRuntime();
        return Config.create();
    }

    /**
     * Build and start a service's server.
     *
     * @param config    root config
     * @param routes    the service's routes
     * @param readiness what must be up for the service to take traffic
     * @return the started server
     * @throws IllegalStateException when it could not start (its port in use, most often), so that the process
     *                               ends with a failure instead of running on without a server
     */
    public static WebServer start(Config config, Consumer<HttpRouting.Builder> routes, List<HealthCheck> readiness) {
        WebServerConfig.Builder builder = WebServer.builder();
        configure(builder, config, routes, readiness);
        WebServer server = builder.build().start();
        // Helidon logs why and returns a server that is not running (its port -1)
        if (!server.isRunning()) {
            throw new IllegalStateException("The server did not start on port "
                                                    + config.get("server.port").asString().orElse("(unset)")
                                                    + "; the reason is logged above");
        }
        return server;
    }

    /**
     * Apply the shared set-up to a server builder.
     *
     * @param server    server builder
     * @param config    root config
     * @param routes    the service's routes
     * @param readiness what must be up for the service to take traffic
     */
    public static void configure(WebServerConfig.Builder server,
                                 Config config,
                                 Consumer<HttpRouting.Builder> routes,
                                 List<HealthCheck> readiness) {
        PayloadLimit limit = PayloadLimit.of(config);
        Config serverConfig = config.get("server");
        server.config(serverConfig)
                .maxTcpConnections(ConnectionLimit.of(serverConfig))
                .maxPayloadSize(limit.bytes())
                // a response written in pieces (headers, chunks) must not wait for the client's delayed ACK:
                // with Nagle's algorithm on, every small response took ~40 ms
                .connectionOptions(options -> options.tcpNoDelay(true))
                .directHandlers(ErrorHandling.directHandlers(limit))
                .mediaContext(MediaContext.builder().addMediaSupport(new JsonEntities()).build())
                .addFeature(observe(readiness))
                .addFeature(OpenApiFeature.builder()
                                    .webContext(OPENAPI_PATH)
                                    .staticFile(OPENAPI_DOCUMENT)
                                    .build())
                .routing(routing -> {
                    routing.addFilter(new RequestObservationFilter());
                    routing.addFilter(new RequestFraming(limit));
                    ErrorHandling.register(routing);
                    routes.accept(routing);
                    // after the service's own filters, still before any route: the gateway's rate limit counts
                    // these refusals too (no filter of a service decides more from a path or these headers than
                    // which limit counts the request)
                    routing.addFilter(new StrictPath());
                    routing.addFilter(new SingleValuedHeaders());
                });
    }

    private static ObserveFeature observe(List<HealthCheck> readiness) {
        return ObserveFeature.builder()
                .endpoint("/")
                .addObserver(HealthObserver.builder()
                                     .endpoint(ObservePaths.HEALTH)
                                     .details(true)
                                     .useSystemServices(false)
                                     .addHealthChecks(readiness)
                                     .build())
                .addObserver(MetricsObserver.builder()
                                     .endpoint(ObservePaths.METRICS)
                                     .build())
                .build();
    }
}
