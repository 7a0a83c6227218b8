package io.example.gateway;

import java.net.URI;
import java.util.Map;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

/**
 * A gateway and its fake services started by hand, for the tests that need a fresh one per test (they stop a
 * service, or each needs other settings): {@code @ServerTest} gives one server per class. Set up exactly as
 * the {@code @ServerTest} classes set theirs up, by {@link FakeServices#configure}.
 */
final class TestGateway extends GatewayClient implements AutoCloseable {
    private final FakeServices services;
    private final WebServer server;

    private TestGateway(FakeServices services, WebServer server) {
        super(services, URI.create("http://localhost:" + server.port()));
        this.services = services;
        this.server = server;
    }

    static TestGateway start(Map<String, String> overrides) {
        FakeServices services = FakeServices.start();
        WebServerConfig.Builder builder = WebServer.builder();
        services.configure(builder, overrides);
        return new TestGateway(services, builder.build().start());
    }

    static TestGateway start() {
        return start(Map.of());
    }

    @Override
    public void close() {
        server.stop();
        services.close();
    }
}
