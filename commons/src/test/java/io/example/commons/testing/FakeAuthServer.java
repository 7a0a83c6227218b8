package io.example.commons.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.example.commons.security.JwksCache;
import io.example.commons.security.JwksDocument;
import io.example.commons.security.JwtSigner;
import io.example.commons.security.SigningKey;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

/**
 * A stand-in auth service for tests of the other services: publishes a JWKS for keys it generates and
 * signs tokens with them, exactly as the real auth service does (same signer, same document).
 */
public final class FakeAuthServer implements AutoCloseable {
    public static final String ISSUER = "http://auth-service";
    public static final String AUDIENCE = "microservices-demo";

    private final List<SigningKey> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final List<String> jwksRequestIds = new CopyOnWriteArrayList<>();
    private final WebServer server;
    private volatile JwtSigner signer;
    private volatile long jwksDelayMillis;

    private FakeAuthServer() {
        SigningKey key = SigningKey.generate();
        published.add(key);
        signer = new JwtSigner(key, ISSUER, AUDIENCE);
        server = WebServer.builder()
                .port(0)
                .routing(routing -> routing.get(JwksCache.JWKS_PATH, (req, res) -> {
                    jwksRequests.incrementAndGet();
                    req.headers().first(HeaderNames.create("X-Request-Id")).ifPresent(jwksRequestIds::add);
                    if (jwksDelayMillis > 0) {
                        Thread.sleep(jwksDelayMillis);
                    }
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send(JwksDocument.write(List.copyOf(published)));
                }))
                .build()
                .start();
    }

    /**
     * @return a started fake auth service
     */
    public static FakeAuthServer start() {
        return new FakeAuthServer();
    }

    /**
     * @return base URL, for {@code auth.service.url}
     */
    public String url() {
        return "http://localhost:" + server.port();
    }

    /**
     * A valid 15-minute access token.
     *
     * @param userId user id
     * @param roles  roles
     * @return token
     */
    public String token(String userId, String... roles) {
        return signer.sign(userId, userId + "@example.com", Set.of(roles), Instant.now(), Duration.ofMinutes(15));
    }

    /**
     * @return the current signer (to sign tokens with odd claims)
     */
    public JwtSigner signer() {
        return signer;
    }

    /**
     * Start signing with a new key, publishing it beside the old one.
     *
     * @return the new key
     */
    public SigningKey rotate() {
        SigningKey key = SigningKey.generate();
        published.add(key);
        signer = new JwtSigner(key, ISSUER, AUDIENCE);
        return key;
    }

    /**
     * Answer the JWKS only after a delay, as an auth service under load would.
     *
     * @param delay how long each JWKS request takes
     */
    public void slowJwks(Duration delay) {
        jwksDelayMillis = delay.toMillis();
    }

    /**
     * @return the {@code X-Request-Id}s that JWKS requests carried
     */
    public List<String> jwksRequestIds() {
        return List.copyOf(jwksRequestIds);
    }

    /**
     * @return how many times the JWKS was fetched
     */
    public int jwksRequests() {
        return jwksRequests.get();
    }

    @Override
    public void close() {
        server.stop();
    }
}
