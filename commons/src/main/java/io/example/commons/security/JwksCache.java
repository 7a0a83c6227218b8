package io.example.commons.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.example.commons.client.ServiceClients;
import io.example.commons.observe.ReadinessCheck;

import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;
import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.metrics.api.Counter;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;

/**
 * The auth service's public keys, fetched from its JWKS endpoint and kept in memory.
 *
 * <p>Keys are loaded on first use (the services start in any order) and re-read when a token names a
 * {@code kid} the cache does not know, which is how a key rotation reaches verifiers. Re-reads are spaced
 * by at least {@code minRefreshInterval}, so a flood of tokens with made-up kids costs the auth service
 * one request per interval, not one per token. A fetch that brings no keys counts in
 * {@code security_refresh_failures_total{source="jwks"}} ({@link RefreshFailures}).
 */
public final class JwksCache {
    private static final Logger LOGGER = Logger.getLogger(JwksCache.class.getName());
    /** Path of the JWK Set on the auth service. */
    public static final String JWKS_PATH = "/.well-known/jwks.json";

    private final Http1Client authService;
    private final Duration minRefreshInterval;
    private final Clock clock;
    private final Counter failures = RefreshFailures.of("jwks");
    private volatile JwkKeys keys;
    private volatile Instant lastAttempt = Instant.EPOCH;

    /**
     * @param authService        client for the auth service (with timeouts)
     * @param minRefreshInterval least time between two fetches
     * @param clock              clock
     */
    public JwksCache(Http1Client authService, Duration minRefreshInterval, Clock clock) {
        this.authService = authService;
        this.minRefreshInterval = minRefreshInterval;
        this.clock = clock;
    }

    /**
     * A cache for the auth service named in config ({@code auth.service.url}, timeouts), re-read at most
     * every {@code jwt.jwks-min-refresh}.
     *
     * @param root root config
     * @return cache
     */
    public static JwksCache create(Config root) {
        return new JwksCache(ServiceClients.create(root.get("auth.service")),
                             root.get("jwt.jwks-min-refresh").as(Duration.class).get(),
                             Clock.systemUTC());
    }

    /**
     * A cache that never fetches: for the auth service, which holds its own keys.
     *
     * @param keys the keys
     * @return cache
     */
    public static JwksCache fixed(JwkKeys keys) {
        JwksCache cache = new JwksCache(null, Duration.ZERO, Clock.systemUTC());
        cache.keys = keys;
        return cache;
    }

    /**
     * The key for a kid: from memory, or after one (rate-limited) re-read of the JWKS.
     *
     * @param kid key id from a token header
     * @return the key, if the auth service publishes it
     */
    public Optional<Jwk> key(String kid) {
        JwkKeys current = keys;
        if (current != null) {
            Optional<Jwk> known = current.forKeyId(kid);
            if (known.isPresent()) {
                return known;
            }
        }
        // whether or not this call was the one to fetch: a request that waited for another's fetch (the first
        // burst after start-up) must see the keys that fetch brought
        refreshIfDue();
        JwkKeys fresh = keys;
        return fresh == null ? Optional.empty() : fresh.forKeyId(kid);
    }

    /**
     * @return whether keys have been loaded (loading them now if due)
     */
    public boolean loaded() {
        return keys != null || refreshIfDue();
    }

    /**
     * Readiness: a verifier without keys cannot accept any token.
     *
     * @return health check
     */
    public HealthCheck readiness() {
        return ReadinessCheck.of("jwks", this::loaded);
    }

    private synchronized boolean refreshIfDue() {
        if (authService == null) {
            return false;
        }
        Instant now = clock.instant();
        if (now.isBefore(lastAttempt.plus(minRefreshInterval))) {
            return false;
        }
        lastAttempt = now;
        // the keys serve every request: fetch them outside the request that found them missing, so that its
        // id and trace headers are not sent (and logged by the auth service as if that request had reached it)
        return Contexts.runInContext(Context.create(), this::fetch);
    }

    private boolean fetch() {
        try (HttpClientResponse response = authService.get(JWKS_PATH).request()) {
            if (response.status().code() != 200) {
                failures.increment();
                LOGGER.warning(() -> "JWKS fetch answered " + response.status().code());
                return false;
            }
            keys = JwksDocument.read(response.as(String.class));
            return true;
        } catch (RuntimeException e) {
            failures.increment();
            LOGGER.log(Level.WARNING, "JWKS fetch failed: " + e.getMessage());
            return false;
        }
    }
}
