package io.example.commons.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.example.commons.http.Json;
import io.example.commons.security.JwksCache;
import io.example.commons.security.JwksDocument;
import io.example.commons.security.JwtSigner;
import io.example.commons.security.RevocationFeed;
import io.example.commons.security.ServiceTokens;
import io.example.commons.security.SigningKey;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;

/**
 * A stand-in auth service for tests of the other services: publishes a JWKS for keys it generates and
 * signs tokens with them, exactly as the real auth service does (same signer, same document); publishes
 * the sessions a test revokes on the revocation feed; and gives service tokens to {@link #SERVICE_CLIENT}
 * for {@link #SERVICE_SECRET}.
 */
public final class FakeAuthServer implements AutoCloseable {
    public static final String ISSUER = "http://auth-service";
    public static final String AUDIENCE = "microservices-demo";
    /** The one client that may get service tokens here, with the inventory scope. */
    public static final String SERVICE_CLIENT = "order-service";
    /** Its secret. */
    public static final String SERVICE_SECRET = "test-client-secret";
    /** The service tokens' life. */
    public static final Duration SERVICE_TOKEN_LIFE = Duration.ofMinutes(5);

    private final List<RevocationFeed.RevokedSession> revoked = new CopyOnWriteArrayList<>();
    private final AtomicInteger serviceTokenRequests = new AtomicInteger();

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
                .routing(routing -> routing
                        .get(RevocationFeed.PATH, (req, res) -> {
                            res.header(HeaderNames.CONTENT_TYPE, "application/json");
                            res.send(Json.write(new RevocationFeed(Integer.toString(revoked.size()),
                                                                   revoked.subList(req.query().first("since").map(Integer::parseInt).orElse(0),
                                                                                   revoked.size()))));
                        })
                        .post(ServiceTokens.PATH, (req, res) -> {
                            serviceTokenRequests.incrementAndGet();
                            ServiceTokens.Request credentials = Json.read(req, ServiceTokens.Request.class);
                            if (!SERVICE_CLIENT.equals(credentials.clientId()) || !SERVICE_SECRET.equals(credentials.clientSecret())) {
                                res.status(Status.UNAUTHORIZED_401).send();
                                return;
                            }
                            res.header(HeaderNames.CONTENT_TYPE, "application/json");
                            res.send(Json.write(new ServiceTokens.Answer(serviceToken(SERVICE_CLIENT, "inventory"), "Bearer",
                                                                         SERVICE_TOKEN_LIFE.toSeconds(), "inventory")));
                        })
                        .get(JwksCache.JWKS_PATH, (req, res) -> {
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
     * A valid access token of a session.
     *
     * @param userId    user id
     * @param sessionId {@code sid}
     * @param roles     roles
     * @return token
     */
    public String sessionToken(String userId, String sessionId, String... roles) {
        return signer.sign(userId, userId + "@example.com", Set.of(roles), sessionId, Instant.now(), Duration.ofMinutes(15));
    }

    /**
     * A valid service token.
     *
     * @param clientId the calling service
     * @param scopes   its scopes
     * @return token
     */
    public String serviceToken(String clientId, String... scopes) {
        return signer.signService(clientId, Set.of(scopes), Instant.now(), SERVICE_TOKEN_LIFE);
    }

    /**
     * Publish a revoked session on the feed.
     *
     * @param sessionId its {@code sid}
     */
    public void revoke(String sessionId) {
        revoked.add(new RevocationFeed.RevokedSession(sessionId, Instant.now().plus(Duration.ofMinutes(17)).getEpochSecond()));
    }

    /**
     * @return how many service tokens were asked for
     */
    public int serviceTokenRequests() {
        return serviceTokenRequests.get();
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
