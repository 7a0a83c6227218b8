package io.example.commons.security;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
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
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Verifies access tokens the same way in every service: ES256 only (never {@code none}, never HMAC with
 * a public key), a {@code kid} the auth service publishes, then {@code iss}, {@code aud}, {@code exp} and
 * {@code nbf} with at most 60 s of clock skew, and a session ({@code sid}) that has not been revoked.
 * Tokens that passed are remembered by their SHA-256 until they expire, so the signature is checked once
 * per token, not once per request; the revocation check runs on every request, cached or not.
 *
 * <p>Whatever the token holds, verifying never throws: a token that cannot be read, has a claim of the
 * wrong type ({@code exp} as a string, {@code roles} as an object, ...) or a time claim that is not a whole
 * number of seconds between 0 and the year 9999 is simply not acceptable (empty).
 *
 * <p>Users' tokens and service tokens are told apart by {@code client_id}: {@link #verify} accepts only the
 * former, {@link #verifyService} only the latter, so neither can stand in for the other.
 */
public final class JwtVerifier {
    /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    // 9999-12-31T23:59:59Z: NumericDates beyond it are not times any token of ours carries
    private static final BigDecimal LAST_NUMERIC_DATE = BigDecimal.valueOf(253_402_300_799L);
    private static final List<String> TIME_CLAIMS = List.of("exp", "nbf", "iat");

    private final JwksCache jwks;
    private final Clock clock;
    private final RevokedSessions revoked;
    private final JwtValidator validator;
    private final Cache<String, VerifiedToken> verified;

    /**
     * @param jwks     the auth service's keys
     * @param issuer   expected {@code iss}
     * @param audience expected {@code aud}
     * @param revoked  the revoked sessions
     * @param clock    clock
     */
    public JwtVerifier(JwksCache jwks, String issuer, String audience, RevokedSessions revoked, Clock clock) {
        this.jwks = jwks;
        this.revoked = revoked;
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
     * A verifier with {@code jwt.issuer} and {@code jwt.audience} from config, polling the auth service's
     * revocation feed every {@code jwt.revocation.poll.interval}.
     *
     * @param jwks the key cache
     * @param root root config
     * @return verifier
     */
    public static JwtVerifier create(JwksCache jwks, Config root) {
        return create(jwks, root, HttpRevocationSource.create(root));
    }

    /**
     * As {@link #create(JwksCache, Config)}, with revocations from another source (the auth service's own).
     *
     * @param jwks        the key cache
     * @param root        root config
     * @param revocations where revoked sessions are read
     * @return verifier
     */
    public static JwtVerifier create(JwksCache jwks, Config root, RevocationSource revocations) {
        Duration interval = root.get("jwt.revocation.poll.interval").as(Duration.class).get();
        return new JwtVerifier(jwks,
                               root.get("jwt.issuer").asString().get(),
                               root.get("jwt.audience").asString().get(),
                               RevokedSessions.polling(revocations, interval, Clock.systemUTC()),
                               Clock.systemUTC());
    }

    /**
     * Verify a user's access token (a compact JWS).
     *
     * @param token the token (without {@code Bearer })
     * @return the user, or empty when the token is not acceptable for any reason (never an exception)
     */
    public Optional<AuthenticatedUser> verify(String token) {
        return verified(token).filter(it -> !it.isService()).map(VerifiedToken::user);
    }

    /**
     * Verify a service token (from the auth service's {@code /internal/service-tokens}).
     *
     * @param token the token (without {@code Bearer })
     * @return the calling service, or empty when the token is not an acceptable service token
     */
    public Optional<ServiceCaller> verifyService(String token) {
        return verified(token).filter(VerifiedToken::isService).map(VerifiedToken::service);
    }

    private Optional<VerifiedToken> verified(String token) {
        if (token == null || !revoked.loaded()) {
            return Optional.empty();
        }
        String digest = sha256(token);
        VerifiedToken known = verified.getIfPresent(digest);
        if (known == null) {
            Optional<VerifiedToken> fresh = verifyUncached(token);
            fresh.ifPresent(it -> verified.put(digest, it));
            known = fresh.orElse(null);
        }
        // the cache expires entries at exp, but skew must not let an expired token through either
        if (known == null || !clock.instant().isBefore(known.expiresAt().plus(CLOCK_SKEW))
                || revoked.isRevoked(known.sessionId())) {
            return Optional.empty();
        }
        return Optional.of(known);
    }

    private Optional<VerifiedToken> verifyUncached(String token) {
        try {
            return verifyClaims(token);
        } catch (RuntimeException e) {
            // a claim of a type Helidon's parser does not expect (exp as a string, email as an object, ...)
            return Optional.empty();
        }
    }

    private Optional<VerifiedToken> verifyClaims(String token) {
        SignedJwt signed = SignedJwt.parseToken(token);
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
        if (!signature.isValid() || !TIME_CLAIMS.stream().allMatch(name -> isNumericDate(jwt, name))) {
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
        String clientId = string(jwt, VerifiedToken.CLIENT_ID);
        if (clientId != null && !clientId.equals(subject.get())) {
            return Optional.empty();
        }
        return Optional.of(new VerifiedToken(subject.get(), jwt.email().orElse(null), roles(jwt),
                                             string(jwt, VerifiedToken.SESSION_ID), clientId,
                                             Set.copyOf(jwt.scopes().orElse(List.of())), expiry.get()));
    }

    // absent, or a whole number of seconds in range: RFC 7519 allows fractions, but no token of ours has
    // them, and a truncated or wrapped time must never be trusted
    private static boolean isNumericDate(Jwt jwt, String claim) {
        Optional<JsonValue> value = jwt.payloadClaim(claim);
        if (value.isEmpty()) {
            return true;
        }
        if (!(value.get() instanceof JsonNumber number)) {
            return false;
        }
        BigDecimal seconds = number.bigDecimalValue();
        return seconds.signum() >= 0 && seconds.compareTo(LAST_NUMERIC_DATE) <= 0
                && seconds.stripTrailingZeros().scale() <= 0;
    }

    // a string claim, or null when absent; a claim of another type makes the token unacceptable
    private static String string(Jwt jwt, String claim) {
        Optional<JsonValue> value = jwt.payloadClaim(claim);
        if (value.isEmpty()) {
            return null;
        }
        if (value.get() instanceof JsonString text) {
            return text.getString();
        }
        throw new IllegalArgumentException("claim " + claim + " is not a string");
    }
    // absent: none; anything but an array of strings makes the token unacceptable
    private static Set<String> roles(Jwt jwt) {
        Optional<JsonValue> value = jwt.payloadClaim("roles");
        if (value.isEmpty()) {
            return Set.of();
        }
        if (!(value.get() instanceof JsonArray array)) {
            throw new IllegalArgumentException("claim roles is not an array");
        }
        Set<String> roles = new LinkedHashSet<>();
        for (JsonValue role : array) {
            if (!(role instanceof JsonString name)) {
                throw new IllegalArgumentException("claim roles holds a value that is not a string");
            }
            roles.add(name.getString());
        }
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
     * @return whether the auth service's keys and its revocations have been loaded: until both are, no token
     *         is accepted (a revoked session must not pass a verifier that has never read the revocations), and
     *         a refusal says nothing about the token
     */
    public boolean ready() {
        return jwks.loaded() && revoked.loaded();
    }

    private record UntilTokenExpiry(Clock clock) implements Expiry<String, VerifiedToken> {
        // a token valid for centuries must not overflow the cache's nanoseconds
        private static final Duration LONGEST = Duration.ofDays(1);

        @Override
        public long expireAfterCreate(String key, VerifiedToken token, long currentTime) {
            Duration left = Duration.between(clock.instant(), token.expiresAt());
            return left.isNegative() ? 0 : (left.compareTo(LONGEST) > 0 ? LONGEST : left).toNanos();
        }

        @Override
        public long expireAfterUpdate(String key, VerifiedToken token, long currentTime, long currentDuration) {
            return currentDuration;
        }

        @Override
        public long expireAfterRead(String key, VerifiedToken token, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
