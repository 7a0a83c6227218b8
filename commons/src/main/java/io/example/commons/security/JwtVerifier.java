package io.example.commons.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import io.helidon.common.Errors;
import io.helidon.config.Config;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.JwtValidator;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Verifies access tokens the same way in every service: ES256 only (never {@code none}, never HMAC with
 * a public key), a {@code kid} the auth service publishes, then {@code iss}, {@code aud}, {@code exp} and
 * {@code nbf} with at most 60 s of clock skew. Tokens that passed are remembered by their SHA-256 until
 * they expire, so the signature is checked once per token, not once per request.
 */
public final class JwtVerifier {
    /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final JwksCache jwks;
    private final String issuer;
    private final String audience;
    private final Clock clock;
    private final JwtValidator validator;
    private final Cache<String, AuthenticatedUser> verified;

    /**
     * @param jwks     the auth service's keys
     * @param issuer   expected {@code iss}
     * @param audience expected {@code aud}
     * @param clock    clock
     */
    public JwtVerifier(JwksCache jwks, String issuer, String audience, Clock clock) {
        this.jwks = jwks;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
        this.validator = JwtValidator.builder()
                .addIssuerValidator(issuer, true)
                .addAudienceValidator(builder -> builder.addExpectedAudience(audience).mandatory(true))
                .addExpirationValidator(builder -> builder.allowedTimeSkew(CLOCK_SKEW).mandatory(true))
                .addNotBeforeValidator(builder -> builder.allowedTimeSkew(CLOCK_SKEW))
                .addIssueTimeValidator(builder -> builder.allowedTimeSkew(CLOCK_SKEW))
                .build();
        this.verified = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfter(new UntilTokenExpiry(clock))
                // upkeep on the request's thread, not handed to the common pool (see the gateway's RateLimiter)
                .executor(Runnable::run)
                .build();
    }

    /**
     * A verifier with {@code jwt.issuer} and {@code jwt.audience} from config (contract defaults
     * {@code http://auth-service} and {@code microservices-demo}).
     *
     * @param jwks the key cache
     * @param root root config
     * @return verifier
     */
    public static JwtVerifier create(JwksCache jwks, Config root) {
        return new JwtVerifier(jwks,
                               root.get("jwt.issuer").asString().orElse("http://auth-service"),
                               root.get("jwt.audience").asString().orElse("microservices-demo"),
                               Clock.systemUTC());
    }

    /**
     * Verify a compact JWS.
     *
     * @param token the token (without {@code Bearer })
     * @return the user, or empty when the token is not acceptable for any reason
     */
    public Optional<AuthenticatedUser> verify(String token) {
        String digest = sha256(token);
        AuthenticatedUser cached = verified.getIfPresent(digest);
        if (cached != null) {
            // the cache expires entries at exp, but skew must not let an expired token through either
            return clock.instant().isBefore(cached.expiresAt().plus(CLOCK_SKEW)) ? Optional.of(cached) : Optional.empty();
        }
        Optional<AuthenticatedUser> user = verifyUncached(token);
        user.ifPresent(it -> verified.put(digest, it));
        return user;
    }

    private Optional<AuthenticatedUser> verifyUncached(String token) {
        SignedJwt signed;
        try {
            signed = SignedJwt.parseToken(token);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        Jwt jwt = signed.getJwt();
        Optional<String> kid = jwt.keyId();
        if (!jwt.algorithm().map(SigningKey.ALGORITHM::equals).orElse(false) || kid.isEmpty()) {
            return Optional.empty();
        }
        Optional<Jwk> key = jwks.key(kid.get());
        if (key.isEmpty() || !SigningKey.ALGORITHM.equals(key.get().algorithm())) {
            return Optional.empty();
        }
        Errors signature = signed.verifySignature(JwkKeys.builder().addKey(key.get()).build());
        if (!signature.isValid()) {
            return Optional.empty();
        }
        if (!validator.validate(jwt).isValid()) {
            return Optional.empty();
        }
        Optional<String> subject = jwt.subject();
        Optional<Instant> expiry = jwt.expirationTime();
        if (subject.isEmpty() || expiry.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AuthenticatedUser(subject.get(), jwt.email().orElse(null), roles(jwt), expiry.get()));
    }

    private static Set<String> roles(Jwt jwt) {
        Set<String> roles = new LinkedHashSet<>();
        jwt.payloadClaim("roles").ifPresent(value -> {
            if (value.getValueType() == JsonValue.ValueType.ARRAY) {
                for (JsonValue role : (JsonArray) value) {
                    if (role instanceof JsonString name) {
                        roles.add(name.getString());
                    }
                }
            }
        });
        return Set.copyOf(roles);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return whether the auth service's keys are loaded (without them no token can be verified, and a
     *         refusal says nothing about the token)
     */
    public boolean hasKeys() {
        return jwks.loaded();
    }

    /**
     * @return the expected issuer
     */
    public String issuer() {
        return issuer;
    }

    /**
     * @return the expected audience
     */
    public String audience() {
        return audience;
    }

    private record UntilTokenExpiry(Clock clock) implements Expiry<String, AuthenticatedUser> {
        @Override
        public long expireAfterCreate(String key, AuthenticatedUser user, long currentTime) {
            return Math.max(0, Duration.between(clock.instant(), user.expiresAt()).toNanos());
        }

        @Override
        public long expireAfterUpdate(String key, AuthenticatedUser user, long currentTime, long currentDuration) {
            return currentDuration;
        }

        @Override
        public long expireAfterRead(String key, AuthenticatedUser user, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
