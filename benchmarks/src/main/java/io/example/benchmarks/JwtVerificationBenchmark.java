package io.example.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.example.commons.security.AuthenticatedUser;
import io.example.commons.security.JwksCache;
import io.example.commons.security.JwtVerifier;
import io.example.commons.security.SigningKey;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestConfig;

import io.helidon.common.Errors;
import io.helidon.config.Config;
import io.helidon.security.jwt.JwtValidator;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a request pays to have its bearer token checked: the verifier with its verified-token cache (every
 * request after a token's first), against the full ES256 signature check plus claim validation that
 * the first request of a token pays.
 */
// every benchmark states its JMH run settings itself, so each class reads alone and runs alone with -Pbench
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JwtVerificationBenchmark {
    private FakeAuthServer auth;
    private JwtVerifier verifier;
    private JwkKeys keys;
    private JwtValidator validator;
    private String token;

    @Setup
    public void setUp() {
        auth = FakeAuthServer.start();
        // over the gateway's application.yaml (first on this class path): a verifier configured as the gateway's
        Config config = TestConfig.of(Map.of("auth.service.url", auth.url()));
        verifier = JwtVerifier.create(JwksCache.create(config), config);
        SigningKey key = auth.signer().key();
        keys = JwkKeys.builder().addKey(key.toJwk()).build();
        validator = JwtValidator.builder()
                .addIssuerValidator(FakeAuthServer.ISSUER, true)
                .addAudienceValidator(b -> b.addExpectedAudience(FakeAuthServer.AUDIENCE).mandatory(true))
                .addExpirationValidator(b -> b.allowedTimeSkew(JwtVerifier.CLOCK_SKEW).mandatory(true))
                .addNotBeforeValidator(b -> b.allowedTimeSkew(JwtVerifier.CLOCK_SKEW))
                .build();
        token = auth.signer().sign("user-1", "user-1@example.com", Set.of("USER"), Instant.now(), Duration.ofHours(1));
        verifier.verify(token).orElseThrow();
    }

    @TearDown
    public void tearDown() {
        auth.close();
    }

    @Benchmark
    public AuthenticatedUser verifierWithCache() {
        return verifier.verify(token).orElseThrow();
    }

    @Benchmark
    public Errors signatureAndClaimsUncached() {
        SignedJwt signed = SignedJwt.parseToken(token);
        Errors signature = signed.verifySignature(keys);
        return signature.isValid() ? validator.validate(signed.getJwt()) : signature;
    }
}
